package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The Gateway API's {@code RequestHeaderModifier}: headers of the request to the backend are set,
 * added to or removed, names compared without case. A value added to a header the client sent joins
 * its values in one line, separated by {@code ,} (RFC 9110, section 5.3), which is what a backend
 * reading the header sees either way. {@code Host} is never changed here: a {@code URLRewrite} does
 * that.
 *
 * @param changes the headers to set, add to and remove
 */
public record RequestHeaderModifierPolicy(HeaderChanges changes) implements RequestPolicy {

  public RequestHeaderModifierPolicy {
    requireNonNull(changes, "changes");
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.HEADERS;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    for (PolicyAnswer.Header header : changes.set()) {
      if (!isHost(header.name())) {
        exchange.setUpstreamHeader(header.name(), header.value());
      }
    }
    for (PolicyAnswer.Header header : changes.add()) {
      if (isHost(header.name())) {
        continue;
      }
      List<String> sent = request.headers(header.name());
      exchange.setUpstreamHeader(
          header.name(),
          sent.isEmpty() ? header.value() : String.join(",", sent) + "," + header.value());
    }
    for (String name : changes.remove()) {
      if (!isHost(name)) {
        exchange.removeUpstreamHeader(name);
      }
    }
    exchange.proceed();
  }

  private static boolean isHost(String name) {
    return name.equalsIgnoreCase("host");
  }

  @Override
  public String toString() {
    return "RequestHeaderModifier(" + changes + ")";
  }
}
