package io.portico.controller.source;

import io.portico.controller.snapshot.ClusterSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * Where cluster state comes from: the Kubernetes API or a folder of manifests, the first stage of
 * the change pipeline. A source keeps the latest copy of the objects it watches as a {@link
 * ClusterSnapshot} and tells a {@link ChangeListener} when they change. It replaces an object that
 * changes and never modifies one it has handed out (the rule of the {@linkplain
 * io.portico.controller.snapshot snapshot package}).
 */
public interface StateSource extends AutoCloseable {

  /**
   * Starts watching and returns once the source holds a complete view (every informer synced, every
   * file read), so the first translation never sees half the cluster. From then on, changes go to
   * {@code changes}.
   *
   * @throws Exception when the source cannot start (a folder that does not exist, an API server
   *     that cannot be reached in time); nothing is left running then
   */
  void start(ChangeListener changes) throws Exception;

  /** The objects as last seen; cheap enough to call once per translation. */
  ClusterSnapshot snapshot();

  /** Why the source is not serving a complete view right now, or {@code null} when it is. */
  @Nullable String notReadyReason();

  @Override
  void close();
}
