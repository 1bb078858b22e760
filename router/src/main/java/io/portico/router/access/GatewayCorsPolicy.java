package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Cross-origin resource sharing as the Gateway API's {@code CORS} filter defines it, which differs
 * from ingress-nginx's ({@link CorsPolicy}) on four points: a {@code *} in an origin's host stands
 * for any number of labels; an origin without a port is the same as one with its scheme's default
 * port; with credentials allowed, an answer never says {@code *} (the request's origin, method and
 * headers are echoed instead); and only a pre-flight request ({@code OPTIONS} with an {@code
 * Origin} and {@code Access-Control-Request-Method}) is answered here, with 204.
 *
 * <p>A request whose {@code Origin} is not allowed gets no CORS headers: its pre-flight is answered
 * 204 without them (the browser then refuses the actual request), any other request goes on. Runs
 * first of the route's policies ({@link PolicyPhase#ACCESS}).
 *
 * @param origins the allowed origins as written ({@code https://www.example.com}, {@code
 *     https://*.example.com:8443}), or {@code ["*"]}
 * @param methods {@code allowMethods}: methods, or {@code ["*"]}; empty for none beyond the
 *     CORS-safelisted ones
 * @param headers {@code allowHeaders}: header names, or {@code ["*"]}
 * @param exposeHeaders {@code exposeHeaders}: header names, or {@code ["*"]}
 * @param credentials {@code allowCredentials}
 * @param maxAgeSeconds {@code maxAge}: how long a pre-flight answer may be cached
 */
public record GatewayCorsPolicy(
    List<String> origins,
    List<String> methods,
    List<String> headers,
    List<String> exposeHeaders,
    boolean credentials,
    long maxAgeSeconds)
    implements RequestPolicy {

  private static final PolicyAnswer PREFLIGHT = new PolicyAnswer(204, List.of(), null);

  public GatewayCorsPolicy {
    origins = List.copyOf(origins);
    methods = List.copyOf(methods);
    headers = List.copyOf(headers);
    exposeHeaders = List.copyOf(exposeHeaders);
    for (String origin : origins) {
      if (!origin.equals("*") && Origin.parse(origin) == null) {
        throw new IllegalArgumentException(
            "origin: \"" + origin + "\" (expected: *, or scheme://host[:port])");
      }
    }
    if (maxAgeSeconds < 0) {
      throw new IllegalArgumentException("maxAgeSeconds: " + maxAgeSeconds + " (expected: >= 0)");
    }
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.ACCESS;
  }

  /** {@code CORS(https://www.example.com https://*.example.org credentials)}, for route dumps. */
  @Override
  public String toString() {
    return "CORS(" + String.join(" ", origins) + (credentials ? " credentials" : "") + ")";
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    String origin = request.header("origin");
    String requestedMethod = request.header("access-control-request-method");
    boolean preflight =
        request.method().equals("OPTIONS") && origin != null && requestedMethod != null;
    if (!allows(origin)) {
      if (preflight) {
        exchange.answer(PREFLIGHT);
      } else {
        exchange.proceed();
      }
      return;
    }
    if (origins.contains("*") && !credentials) {
      exchange.setResponseHeader("access-control-allow-origin", "*");
    } else {
      exchange.setResponseHeader("access-control-allow-origin", requireNonNull(origin));
      exchange.addResponseHeader("vary", "Origin");
    }
    if (credentials) {
      exchange.setResponseHeader("access-control-allow-credentials", "true");
    }
    // A * with credentials is taken literally by browsers: say nothing rather than that.
    if (!exposeHeaders.isEmpty() && !(credentials && exposeHeaders.contains("*"))) {
      exchange.setResponseHeader("access-control-expose-headers", String.join(", ", exposeHeaders));
    }
    if (!preflight) {
      exchange.proceed();
      return;
    }
    if (!methods.isEmpty()) {
      exchange.setResponseHeader(
          "access-control-allow-methods",
          methods.contains("*") ? requireNonNull(requestedMethod) : String.join(", ", methods));
    }
    String requestedHeaders = request.header("access-control-request-headers");
    if (headers.contains("*")) {
      if (requestedHeaders != null && !requestedHeaders.isBlank()) {
        exchange.setResponseHeader("access-control-allow-headers", requestedHeaders);
      }
    } else if (!headers.isEmpty()) {
      exchange.setResponseHeader("access-control-allow-headers", String.join(", ", headers));
    }
    exchange.setResponseHeader("access-control-max-age", Long.toString(maxAgeSeconds));
    exchange.answer(PREFLIGHT);
  }

  /** Whether {@code origin}, as a browser sends it, is allowed. */
  public boolean allows(@Nullable String origin) {
    if (origin == null) {
      return false;
    }
    if (origins.contains("*")) {
      return true;
    }
    Origin wanted = Origin.parse(origin);
    if (wanted == null) {
      return false;
    }
    for (String entry : origins) {
      Origin allowed = Origin.parse(entry);
      if (allowed != null && allowed.covers(wanted)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An origin with its port made explicit.
   *
   * @param host lower case; {@code *} for any host, or a leading {@code *.} for one label or more
   */
  private record Origin(String scheme, String host, int port) {

    static @Nullable Origin parse(String text) {
      String lower = text.toLowerCase(Locale.ROOT);
      int colon = lower.indexOf("://");
      if (colon <= 0) {
        return null;
      }
      String scheme = lower.substring(0, colon);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return null;
      }
      String rest = lower.substring(colon + 3);
      int port = scheme.equals("https") ? 443 : 80;
      int portColon = rest.lastIndexOf(':');
      if (portColon >= 0 && !rest.endsWith("]")) {
        try {
          port = Integer.parseInt(rest.substring(portColon + 1));
        } catch (NumberFormatException e) {
          return null;
        }
        if (port < 1 || port > 65_535) {
          return null;
        }
        rest = rest.substring(0, portColon);
      }
      if (rest.isEmpty() || rest.indexOf('/') >= 0) {
        return null;
      }
      return new Origin(scheme, rest, port);
    }

    /** Whether this allowed origin covers {@code wanted}, which has no wildcard. */
    boolean covers(Origin wanted) {
      if (!scheme.equals(wanted.scheme) || port != wanted.port) {
        return false;
      }
      if (host.equals("*")) {
        return true;
      }
      if (host.startsWith("*.")) {
        // Greedy to the left: one label or more in place of the *.
        String suffix = host.substring(1);
        return wanted.host.endsWith(suffix) && wanted.host.length() > suffix.length();
      }
      return host.equals(wanted.host);
    }
  }
}
