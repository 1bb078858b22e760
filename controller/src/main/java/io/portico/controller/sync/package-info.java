/**
 * The sync loop and what follows it: one thread that turns "something changed" into a new
 * translation, coalescing bursts of changes ({@link io.portico.controller.sync.SyncLoop}), and the
 * ordered listeners of each translation ({@link io.portico.controller.sync.TranslationListeners}),
 * the first of which swaps it into the data plane ({@link
 * io.portico.controller.sync.ConfigPublisher}).
 */
@NullMarked
package io.portico.controller.sync;

import org.jspecify.annotations.NullMarked;
