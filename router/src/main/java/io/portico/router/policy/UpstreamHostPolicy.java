package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * ingress-nginx's {@code upstream-vhost}: the backend gets this {@code Host} instead of the
 * client's; {@code X-Forwarded-Host} still names the client's.
 *
 * @param authority {@code host} or {@code host:port}: a DNS name or an IP address (IPv6 in
 *     brackets), never a variable
 */
public record UpstreamHostPolicy(String authority) implements RequestPolicy {

  // A DNS name or IPv4 address, or an IPv6 address in brackets, then an optional port.
  private static final Pattern HOST_AND_PORT =
      Pattern.compile(
          "([A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");

  public UpstreamHostPolicy {
    requireNonNull(authority, "authority");
    if (!HOST_AND_PORT.matcher(authority).matches() || !PolicyChain.isAuthority(authority)) {
      throw new IllegalArgumentException(
          "authority: " + authority + " (expected: host or host:port)");
    }
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.HEADERS;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    exchange.upstreamAuthority(authority);
    exchange.proceed();
  }

  @Override
  public String label() {
    return "upstream-vhost " + authority;
  }
}
