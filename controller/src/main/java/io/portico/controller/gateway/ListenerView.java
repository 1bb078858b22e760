package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One listener of a Gateway as read.
 *
 * @param name its name, unique in the Gateway
 * @param hostname the names it serves; empty for all
 * @param port the Gateway's port (what clients address, never Portico's local port)
 * @param protocol as written ({@code HTTP}, {@code HTTPS}, or one Portico does not serve)
 * @param tls {@code tls} with mode and certificate references defaulted
 * @param allowedRoutes which routes may attach
 */
public record ListenerView(
    String name,
    Optional<Hostname> hostname,
    int port,
    String protocol,
    Optional<Tls> tls,
    AllowedRoutes allowedRoutes) {

  /**
   * A listener's {@code tls}.
   *
   * @param mode {@code Terminate} (the default) or {@code Passthrough}
   * @param certificateRefs the certificates, kind {@code Secret} of the core group by default
   */
  public record Tls(String mode, List<TargetRef> certificateRefs) {

    public static final String TERMINATE = "Terminate";

    public Tls {
      requireNonNull(mode, "mode");
      certificateRefs = List.copyOf(certificateRefs);
    }
  }

  /**
   * A listener's {@code allowedRoutes}.
   *
   * @param from which namespaces routes may come from ({@code Same} by default)
   * @param selector the Namespace selector, for {@code Selector}
   * @param kinds the route kinds listed; empty for those the protocol carries
   */
  public record AllowedRoutes(
      From from, Optional<NamespaceSelector> selector, List<GroupKind> kinds) {

    /** {@code allowedRoutes.namespaces.from}. */
    public enum From {
      ALL,
      SAME,
      SELECTOR
    }

    public static final AllowedRoutes DEFAULT =
        new AllowedRoutes(From.SAME, Optional.empty(), List.of());

    public AllowedRoutes {
      requireNonNull(from, "from");
      requireNonNull(selector, "selector");
      kinds = List.copyOf(kinds);
    }
  }

  public ListenerView {
    requireNonNull(name, "name");
    requireNonNull(hostname, "hostname");
    requireNonNull(protocol, "protocol");
    requireNonNull(tls, "tls");
    requireNonNull(allowedRoutes, "allowedRoutes");
  }
}
