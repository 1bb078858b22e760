package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

/**
 * The Gateway API's {@code ResponseHeaderModifier}: headers of every response of the route, the
 * backend's and Portico's own, are set, added to or removed before the response is written.
 *
 * @param changes the headers to set, add to and remove
 */
public record ResponseHeaderModifierPolicy(HeaderChanges changes) implements ResponseHeadPolicy {

  public ResponseHeaderModifierPolicy {
    requireNonNull(changes, "changes");
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.HEADERS;
  }

  @Override
  public void editResponseHead(PolicyRequest request, ResponseHead head) {
    for (PolicyAnswer.Header header : changes.set()) {
      head.set(header.name(), header.value());
    }
    for (PolicyAnswer.Header header : changes.add()) {
      head.add(header.name(), header.value());
    }
    for (String name : changes.remove()) {
      head.remove(name);
    }
  }

  @Override
  public String toString() {
    return "ResponseHeaderModifier(" + changes + ")";
  }
}
