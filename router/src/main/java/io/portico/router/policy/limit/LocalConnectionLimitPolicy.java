package io.portico.router.policy.limit;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;

/**
 * Limits the requests each client address has in flight at once on the routes of one Ingress
 * ({@code limit-connections}), counted by this replica alone and keyed by the client address the
 * request reports ({@link PolicyRequest#clientAddress()}). nginx counts a connection while one of
 * its requests is in the location; Portico counts the request itself, from this policy until the
 * exchange ends however it ends (response sent, client gone, backend failure, timeout), so two
 * requests on one HTTP/2 connection count twice, and a keep-alive connection between requests
 * counts nothing. A request over the limit is answered with the limit's status and goes no further.
 *
 * @param limit how many at once, and the answer
 * @param connections where the counts live; {@link ClientConnections#shared()} outside tests, so
 *     that an unchanged Ingress translated again gives an equal policy that keeps counting
 */
public record LocalConnectionLimitPolicy(ClientConnectionLimit limit, ClientConnections connections)
    implements RequestPolicy {

  private static final String BODY =
      "Too many requests in progress from this address: try again later.\n";

  public LocalConnectionLimitPolicy {
    requireNonNull(limit, "limit");
    requireNonNull(connections, "connections");
  }

  /** A limit counted in the process's shared counts. */
  public LocalConnectionLimitPolicy(ClientConnectionLimit limit) {
    this(limit, ClientConnections.shared());
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.RATE_LIMIT;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    String address = request.clientAddress();
    // nginx counts nothing for an empty key: no address, or one of the allowlist.
    if (address == null || limit.allowlist().contains(request.client().ip())) {
      exchange.proceed();
      return;
    }
    String zone = limit.zone();
    if (!connections.tryAcquire(zone, address, limit.perClient())) {
      exchange.answer(PolicyAnswer.text(limit.status(), BODY));
      return;
    }
    try {
      exchange.onEnd(() -> connections.release(zone, address));
    } catch (RuntimeException e) {
      connections.release(zone, address);
      throw e;
    }
    exchange.proceed();
  }

  @Override
  public String label() {
    return "limit-connections " + limit.perClient();
  }
}
