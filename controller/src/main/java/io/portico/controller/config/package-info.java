/**
 * The controller ConfigMap: controller-wide settings kept, as with ingress-nginx, in one ConfigMap
 * ({@code --configmap NAMESPACE/NAME}), read into an immutable {@link
 * io.portico.controller.config.ControllerConfig}.
 *
 * <p>Each key is declared once, in {@link io.portico.controller.config.ConfigKeys}, as a typed
 * {@link io.portico.controller.config.ConfigKey}: its name, how its text is read, its built-in
 * default, whether a change applies live or at the next start, and whether Portico gives it an
 * effect yet. A value that does not read is a {@link io.portico.controller.config.ConfigFinding}
 * naming the key, and the default applies; a key Portico does not read is a notice, never an error.
 *
 * <p>Precedence, wherever a setting exists both as an annotation and as a key: the annotation, then
 * the ConfigMap, then the built-in default. An annotation family reads its annotation first and
 * falls back to {@code config.get(ConfigKeys.X)}, which already holds the ConfigMap's value or the
 * default; {@link io.portico.controller.config.ConfigKey#parse} reads an annotation of the same
 * syntax the same way.
 *
 * <p>This package knows nothing of the rest of the controller: translation reads it, not the other
 * way round.
 */
@org.jspecify.annotations.NullMarked
package io.portico.controller.config;
