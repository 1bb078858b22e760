package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.ErrorPageContext;
import java.util.List;
import java.util.TreeSet;

/**
 * Custom error pages of a rule (ingress-nginx's {@code custom-http-errors}): a response with one of
 * these statuses, from the backend or from Portico itself (503 without endpoints, 502, 504), is not
 * sent; the request goes to the error backend instead, with path {@code /} and its original query,
 * its method and headers, and {@code X-Code}, {@code X-Format}, {@code X-Original-URI} and the
 * {@linkplain ErrorPageContext context} headers. The client gets the error backend's answer, its
 * status included. The error backend's own answers are never intercepted.
 *
 * @param statuses the intercepted statuses, 300 to 599, ascending, each once
 * @param backend the error backend: the {@code default-backend} annotation's Service, else the
 *     controller's default backend
 * @param context what the error backend is told of the rule
 */
public record ErrorPages(List<Integer> statuses, Backend backend, ErrorPageContext context) {

  public ErrorPages {
    requireNonNull(statuses, "statuses");
    requireNonNull(backend, "backend");
    requireNonNull(context, "context");
    TreeSet<Integer> sorted = new TreeSet<>();
    for (Integer status : statuses) {
      if (status == null || status < 300 || status > 599) {
        throw new IllegalArgumentException("status: " + status + " (expected: 300 to 599)");
      }
      sorted.add(status);
    }
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("statuses: [] (expected: at least one)");
    }
    statuses = List.copyOf(sorted);
  }

  /** Whether a response with {@code status} goes to the error backend instead. */
  public boolean intercepts(int status) {
    // A handful of statuses: a scan beats any set.
    for (int i = 0; i < statuses.size(); i++) {
      if (statuses.get(i) == status) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "errors " + statuses + " -> " + backend.id();
  }
}
