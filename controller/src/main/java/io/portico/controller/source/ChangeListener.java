package io.portico.controller.source;

/**
 * What a {@link StateSource} tells about its changes: in Portico, the sync loop, which then reads
 * the source's snapshot and translates it. Called from the source's own threads, so it must return
 * at once.
 */
public interface ChangeListener {

  /** A listener for a source read once and never asked again (e.g. {@code portico explain}). */
  ChangeListener NONE =
      new ChangeListener() {
        @Override
        public void changed(String reason) {}

        @Override
        public void changedSettled(String reason) {}
      };

  /**
   * Objects changed, one at a time as they arrive: more may follow at once (a rollout, {@code
   * kubectl apply} of several objects), so the listener may wait a short holdoff for them.
   */
  void changed(String reason);

  /**
   * Objects changed, and the source has already waited for the burst to settle (the manifest folder
   * coalesces the file events of one save): no second holdoff is needed.
   */
  void changedSettled(String reason);
}
