package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.Kinds;

/**
 * {@code ingress-ownership}: which Ingresses are Portico's ({@link IngressOwnership}, by class).
 * When the IngressClasses changed, or on a translation from scratch, ownership may have changed for
 * any Ingress, and the later steps look at all of them again.
 */
final class IngressOwnershipStep implements TranslationStep {

  @Override
  public String name() {
    return "ingress-ownership";
  }

  @Override
  public void apply(TranslationRun run) {
    boolean mayHaveChanged =
        run.fromScratch()
            || !run.snapshot()
                .changedSince(Kinds.INGRESS_CLASS, requireNonNull(run.previous(), "previous"))
                .isEmpty();
    run.ownership(new IngressOwnership(run.snapshot(), run.settings()), mayHaveChanged);
  }
}
