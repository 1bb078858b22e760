package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Response headers set on every response of a route, whoever writes it (the backend, Portico's own
 * errors, another policy's answer), replacing a value the backend sent under the same name: what
 * ingress-nginx's {@code more_set_headers} does for its ConfigMap's {@code add-headers} and the
 * {@code custom-headers} annotation. Names and values are checked when the policy is built, so a
 * request never meets a bad one.
 *
 * @param headers the headers, set in this order (a later one with the same name wins)
 */
public record ResponseHeadersPolicy(List<PolicyAnswer.Header> headers)
    implements ResponseHeadPolicy {

  public ResponseHeadersPolicy {
    headers = List.copyOf(requireNonNull(headers, "headers"));
    if (headers.isEmpty()) {
      throw new IllegalArgumentException("headers: [] (expected: at least one)");
    }
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.HEADERS;
  }

  @Override
  public void editResponseHead(PolicyRequest request, ResponseHead head) {
    for (PolicyAnswer.Header header : headers) {
      head.set(header.name(), header.value());
    }
  }
}
