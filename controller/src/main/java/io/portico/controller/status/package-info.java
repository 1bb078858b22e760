/**
 * What the leader writes back to the cluster: Ingress status addresses and Events. Serving never
 * depends on it: every replica serves, one replica reports.
 */
@NullMarked
package io.portico.controller.status;

import org.jspecify.annotations.NullMarked;
