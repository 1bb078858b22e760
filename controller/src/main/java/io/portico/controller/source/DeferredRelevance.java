package io.portico.controller.source;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The changes judged irrelevant, kept until the next translation is published and then judged again
 * against it.
 *
 * <p>A change to a Service, slice, Secret or ConfigMap is relevant when the latest published
 * translation refers to the object. A translation in flight may refer to more. An Ingress and its
 * Service applied together: the Ingress starts a translation, which reads the snapshot just before
 * the Service arrives; the Service, judged against the older translation, is irrelevant; the new
 * translation is published saying the Service does not exist, and nothing would translate again
 * until some other change. So every change judged irrelevant is kept here, and after each publish
 * judged again: one that the new translation refers to asks for another.
 *
 * <p>Judging and keeping happen under one lock, and the recheck takes the kept changes under it
 * after the publish, so a change judged against the older translation is either seen by the recheck
 * or judged after it, against the new one. The kept changes are bounded: past {@link #LIMIT} of
 * them (a long quiet spell with many unrelated changes) they are dropped and one translation is
 * asked for, which reads everything again.
 */
final class DeferredRelevance {

  static final int LIMIT = 4096;

  private final Object lock = new Object();
  // By kind and key: only an object's latest change matters.
  private Map<Object, BooleanSupplier> kept = new HashMap<>();
  private boolean overflowed;

  /**
   * Judges a change now.
   *
   * @param identity the object's kind and key
   * @param relevant whether the latest published translation refers to the object
   * @return whether the change is relevant now; if not, it is kept to be judged again
   */
  boolean judge(Object identity, BooleanSupplier relevant) {
    synchronized (lock) {
      if (relevant.getAsBoolean()) {
        return true;
      }
      if (kept.size() >= LIMIT && !kept.containsKey(identity)) {
        kept.clear();
        overflowed = true;
      }
      if (!overflowed) {
        kept.put(identity, relevant);
      }
      return false;
    }
  }

  /**
   * Called after a translation is published: whether any change kept since the last call is
   * relevant to it (or too many were kept to tell). Forgets them all.
   */
  boolean relevantToNewTranslation() {
    Map<Object, BooleanSupplier> judged;
    boolean tooMany;
    synchronized (lock) {
      judged = kept;
      tooMany = overflowed;
      kept = new HashMap<>();
      overflowed = false;
    }
    if (tooMany) {
      return true;
    }
    for (BooleanSupplier relevant : judged.values()) {
      if (relevant.getAsBoolean()) {
        return true;
      }
    }
    return false;
  }
}
