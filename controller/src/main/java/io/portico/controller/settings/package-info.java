/**
 * What a {@link io.portico.controller.Controller} starts with: where the state comes from ({@link
 * io.portico.controller.settings.SourceSettings}), how it operates ({@link
 * io.portico.controller.settings.OperationsSettings}) and everything together ({@link
 * io.portico.controller.settings.ControllerSettings}). The command line fills them from flags;
 * tests and embedders build them directly.
 */
@NullMarked
package io.portico.controller.settings;

import org.jspecify.annotations.NullMarked;
