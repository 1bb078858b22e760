package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Cross-origin resource sharing as ingress-nginx's {@code enable-cors} does it. When the request's
 * {@code Origin} is allowed (or every origin is, {@code *}), every answer carries the {@code
 * Access-Control-*} headers (the backend's, Portico's own, a basic-auth 401 included), and every
 * {@code OPTIONS} request is answered here with 204, not only preflights. A request from an origin
 * not allowed gets no CORS headers, and its {@code OPTIONS} goes to the backend.
 *
 * <p>The origin is echoed only when it matches the list; with {@code *}, the answer says {@code *}
 * literally (which browsers never combine with credentials), so an arbitrary origin is never
 * reflected together with {@code Access-Control-Allow-Credentials}. A wildcard entry {@code
 * https://*.example.com} matches exactly one DNS label in place of the {@code *}.
 *
 * <p>It runs first of the route's policies ({@link PolicyPhase#ACCESS}, added before the others),
 * as ingress-nginx's CORS block runs before its allow lists and authentication.
 *
 * @param origins the allowed origins, lower case ({@code https://a.example}, {@code
 *     https://*.example.com:8443}), or {@code ["*"]}
 * @param methods {@code Access-Control-Allow-Methods}
 * @param headers {@code Access-Control-Allow-Headers}
 * @param exposeHeaders {@code Access-Control-Expose-Headers}, empty for none
 * @param credentials whether {@code Access-Control-Allow-Credentials: true} is sent
 * @param maxAgeSeconds {@code Access-Control-Max-Age}
 */
public record CorsPolicy(
    List<String> origins,
    String methods,
    String headers,
    String exposeHeaders,
    boolean credentials,
    long maxAgeSeconds)
    implements RequestPolicy {

  /** ingress-nginx's default {@code cors-allow-methods}. */
  public static final String DEFAULT_METHODS = "GET, PUT, POST, DELETE, PATCH, OPTIONS";

  /** ingress-nginx's default {@code cors-allow-headers}. */
  public static final String DEFAULT_HEADERS =
      "DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,"
          + "Range,Authorization";

  /** ingress-nginx's default {@code cors-max-age}: 20 days. */
  public static final long DEFAULT_MAX_AGE = 1_728_000;

  /** An origin entry: {@code *}, or scheme, host (a leading {@code *.} allowed) and port. */
  private static final Pattern ORIGIN =
      Pattern.compile("\\*|https?://(\\*\\.)?[a-z0-9-]+(\\.[a-z0-9-]+)*(:[0-9]{1,5})?");

  private static final Pattern LABEL = Pattern.compile("[a-z0-9-]+");

  private static final PolicyAnswer PREFLIGHT =
      new PolicyAnswer(
          204, List.of(new PolicyAnswer.Header("content-type", "text/plain charset=UTF-8")), null);

  public CorsPolicy {
    origins = List.copyOf(origins);
    requireNonNull(methods, "methods");
    requireNonNull(headers, "headers");
    requireNonNull(exposeHeaders, "exposeHeaders");
    if (origins.isEmpty()) {
      throw new IllegalArgumentException("origins: [] (expected: at least one, or *)");
    }
    for (String origin : origins) {
      if (!isValidOrigin(origin) || !origin.equals(origin.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "origin: \"" + origin + "\" (expected: *, or lower-case scheme://host[:port])");
      }
    }
    if (maxAgeSeconds < 0) {
      throw new IllegalArgumentException("maxAgeSeconds: " + maxAgeSeconds + " (expected: >= 0)");
    }
  }

  /** Whether {@code entry} is {@code *} or an origin ({@code https://*.example.com:8443}). */
  public static boolean isValidOrigin(String entry) {
    return ORIGIN.matcher(entry.toLowerCase(Locale.ROOT)).matches();
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.ACCESS;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    String origin = request.header("origin");
    boolean any = origins.contains("*");
    if (!any && (origin == null || !allows(origin))) {
      exchange.proceed();
      return;
    }
    if (any) {
      exchange.setResponseHeader("access-control-allow-origin", "*");
    } else {
      exchange.setResponseHeader("access-control-allow-origin", requireNonNull(origin));
      exchange.addResponseHeader("vary", "Origin");
    }
    if (credentials) {
      exchange.setResponseHeader("access-control-allow-credentials", "true");
    }
    exchange.setResponseHeader("access-control-allow-methods", methods);
    exchange.setResponseHeader("access-control-allow-headers", headers);
    if (!exposeHeaders.isEmpty()) {
      exchange.setResponseHeader("access-control-expose-headers", exposeHeaders);
    }
    exchange.setResponseHeader("access-control-max-age", Long.toString(maxAgeSeconds));
    if (request.method().equals("OPTIONS")) {
      exchange.answer(PREFLIGHT);
    } else {
      exchange.proceed();
    }
  }

  /** Whether {@code origin}, as a browser sends it, is one of {@link #origins}. */
  public boolean allows(@Nullable String origin) {
    if (origin == null) {
      return false;
    }
    String wanted = origin.toLowerCase(Locale.ROOT);
    for (String entry : origins) {
      if (entry.equals("*") || entry.equals(wanted) || matchesWildcard(entry, wanted)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesWildcard(String entry, String origin) {
    int star = entry.indexOf("://*.");
    if (star < 0) {
      return false;
    }
    String prefix = entry.substring(0, star + 3);
    String suffix = entry.substring(star + 4);
    if (!origin.startsWith(prefix)
        || !origin.endsWith(suffix)
        || origin.length() <= prefix.length() + suffix.length()) {
      return false;
    }
    String label = origin.substring(prefix.length(), origin.length() - suffix.length());
    return LABEL.matcher(label).matches();
  }
}
