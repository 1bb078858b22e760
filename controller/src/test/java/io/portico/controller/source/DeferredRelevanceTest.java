package io.portico.controller.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DeferredRelevanceTest {

  private final DeferredRelevance deferred = new DeferredRelevance();

  @Test
  void aRelevantChangeIsNotKept() {
    assertTrue(deferred.judge("a", () -> true));
    assertFalse(deferred.relevantToNewTranslation());
  }

  @Test
  void anIrrelevantChangeIsJudgedAgainAfterThePublish() {
    AtomicBoolean referenced = new AtomicBoolean(false);
    assertFalse(deferred.judge("a", referenced::get));
    referenced.set(true);
    assertTrue(deferred.relevantToNewTranslation());
    assertFalse(deferred.relevantToNewTranslation(), "judged again once, then forgotten");
  }

  @Test
  void onlyAnObjectsLatestChangeIsKept() {
    assertFalse(deferred.judge("a", () -> false));
    AtomicBoolean referenced = new AtomicBoolean(false);
    assertFalse(deferred.judge("a", referenced::get));
    referenced.set(true);
    assertTrue(deferred.relevantToNewTranslation());
  }

  @Test
  void tooManyKeptChangesAskForOneTranslation() {
    for (int i = 0; i <= DeferredRelevance.LIMIT; i++) {
      assertFalse(deferred.judge(i, () -> false));
    }
    assertTrue(deferred.relevantToNewTranslation(), "past the limit it cannot tell: translate");
    assertFalse(deferred.judge("a", () -> false));
    assertFalse(deferred.relevantToNewTranslation(), "and starts counting again");
  }

  @Test
  void upToTheLimitNothingIsDropped() {
    for (int i = 0; i < DeferredRelevance.LIMIT; i++) {
      assertFalse(deferred.judge(i, () -> false));
    }
    assertFalse(deferred.relevantToNewTranslation());
  }
}
