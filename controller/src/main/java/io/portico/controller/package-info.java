/**
 * A running Portico ({@link io.portico.controller.Controller}): the {@link
 * io.portico.controller.ChangePipeline} that turns the state of a source into the configuration to
 * serve, the data plane that serves it and the admin server that reports on it.
 */
@NullMarked
package io.portico.controller;

import org.jspecify.annotations.NullMarked;
