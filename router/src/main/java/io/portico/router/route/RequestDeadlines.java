package io.portico.router.route;

/**
 * Time limits on a request as a whole and on each attempt at a backend: the {@code timeouts} of a
 * Gateway API HTTPRoute rule (GEP-1742). Both end when the backend's response head arrives: a
 * response that has started is never cut by them (the read timeout still bounds the backend's
 * silence between two reads). A limit that runs out first answers 504.
 *
 * @param requestMillis from the request's arrival to its response head, retries included ({@code
 *     timeouts.request}); 0 for none
 * @param attemptMillis from the start of one attempt (connecting included) to its response head
 *     ({@code timeouts.backendRequest}); one that runs out is a timeout of that attempt, retried as
 *     the route's retry policy says; 0 for none
 */
public record RequestDeadlines(long requestMillis, long attemptMillis) {

  /** No limit on either: what every Ingress route has. */
  public static final RequestDeadlines NONE = new RequestDeadlines(0, 0);

  public RequestDeadlines {
    if (requestMillis < 0) {
      throw new IllegalArgumentException("requestMillis: " + requestMillis + " (expected: >= 0)");
    }
    if (attemptMillis < 0) {
      throw new IllegalArgumentException("attemptMillis: " + attemptMillis + " (expected: >= 0)");
    }
    if (requestMillis > 0 && attemptMillis > requestMillis) {
      throw new IllegalArgumentException(
          "attemptMillis: "
              + attemptMillis
              + " (expected: at most requestMillis, "
              + requestMillis
              + ", when that is set)");
    }
  }
}
