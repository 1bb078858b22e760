/**
 * The sync loop: one thread that turns "something changed" into a new translation, coalescing
 * bursts of changes, and publishes the result.
 */
package io.portico.controller.sync;
