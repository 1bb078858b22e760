/**
 * Translation: the pure function from a {@link io.portico.controller.snapshot.ClusterSnapshot} of
 * Kubernetes objects to a {@link io.portico.controller.translate.Translation} (the routing table,
 * the certificates by SNI name, and the findings about each object). No I/O, no clocks of its own,
 * no client calls: the Ingress specification lives here.
 *
 * <p>The {@link io.portico.controller.translate.Translator} runs an ordered list of {@link
 * io.portico.controller.translate.TranslationStep}s, one concern each ({@link
 * io.portico.controller.translate.TranslationSteps#standard()}); what they remember between
 * translations lives in one {@code TranslationState}, dropped whole when a step throws.
 */
@NullMarked
package io.portico.controller.translate;

import org.jspecify.annotations.NullMarked;
