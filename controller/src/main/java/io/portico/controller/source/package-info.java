/**
 * Sources of cluster state: the Kubernetes API (informers) and a folder of manifests. Each keeps
 * the latest copy of the objects it watches as a {@link
 * io.portico.controller.snapshot.ClusterSnapshot} and tells a {@link
 * io.portico.controller.source.ChangeListener} (the sync loop) when something changed. Sources
 * replace objects and never modify them (the rule of the {@linkplain io.portico.controller.snapshot
 * snapshot package}).
 */
@NullMarked
package io.portico.controller.source;

import org.jspecify.annotations.NullMarked;
