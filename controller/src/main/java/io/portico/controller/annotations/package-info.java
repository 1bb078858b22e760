/**
 * Ingress annotations: every {@code nginx.ingress.kubernetes.io/} annotation ingress-nginx knows,
 * what Portico does with each ({@link io.portico.controller.annotations.AnnotationCatalogue}), and
 * the families that read the honoured ones into an immutable {@link
 * io.portico.controller.annotations.IngressPolicy}.
 *
 * <p>One Ingress is read by an {@link io.portico.controller.annotations.AnnotationReader}: its
 * {@link io.portico.controller.annotations.AnnotationValues} go through every {@link
 * io.portico.controller.annotations.AnnotationFamily}, and each annotation gets its fate in an
 * {@link io.portico.controller.annotations.AnnotationVerdict}. Security decisions fail closed: an
 * annotation that guards access and is not honoured refuses the whole Ingress. This package knows
 * neither fabric8 nor the translator; it sees annotations as a map of strings.
 */
@NullMarked
package io.portico.controller.annotations;

import org.jspecify.annotations.NullMarked;
