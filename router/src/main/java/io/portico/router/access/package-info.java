/**
 * Who may reach a backend: request policies of the {@link
 * io.portico.router.policy.PolicyPhase#ACCESS} and {@link
 * io.portico.router.policy.PolicyPhase#AUTHENTICATION} phases, keyed on the client address Portico
 * decided for the request ({@link io.portico.router.policy.PolicyRequest#client()}).
 */
@NullMarked
package io.portico.router.access;

import org.jspecify.annotations.NullMarked;
