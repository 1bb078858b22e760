/**
 * Prometheus metrics: the configuration's state and history, and (through the data plane's request
 * observer) traffic. Labels come from configured objects, never from request data.
 */
@NullMarked
package io.portico.controller.metrics;

import org.jspecify.annotations.NullMarked;
