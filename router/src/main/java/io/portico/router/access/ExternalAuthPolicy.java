package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.SideRequest;
import io.portico.router.policy.SideResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * External authentication ({@code auth-url}), as ingress-nginx's {@code auth_request} subrequest:
 * before the request goes on, the auth service is asked with a request of the same headers and no
 * body, and its status decides.
 *
 * <ul>
 *   <li>2xx: the request goes on; each of {@code auth-response-headers} is copied from the answer
 *       to the request to the backend, or removed from it when the answer lacks it;
 *   <li>401: answered 401 (with the service's {@code WWW-Authenticate}), or, with {@code
 *       auth-signin}, a 302 to the sign-in page whose {@code rd} parameter (or {@code
 *       auth-signin-redirect-param}) holds the original URL;
 *   <li>403: answered 403;
 *   <li>anything else, no answer, or a timeout: 500. Never let through.
 * </ul>
 *
 * The auth request carries the client's headers (but those of the connection and the body), and
 * {@code X-Original-URI}, {@code X-Original-URL}, {@code X-Original-Method}, {@code X-Scheme},
 * {@code X-Sent-From}, {@code X-Real-IP}, {@code X-Forwarded-For} (the client's address as Portico
 * decided it) and {@code X-Auth-Request-Redirect}, then those of {@code auth-proxy-set-headers}.
 * The service's {@code Set-Cookie} goes to the client on successes and redirects (nginx's {@code
 * add_header}), or on every answer with {@code auth-always-set-cookie}.
 *
 * <p>The request waits unread while the service answers, on no thread: the call is asynchronous
 * ({@link PolicyExchange#send}). With {@code auth-cache-key}, answers of the statuses {@code
 * auth-cache-duration} names are remembered per route, host and key (a SHA-256 of them, so that a
 * key of credentials is not kept), in a bounded cache; as in nginx, an answer that sets a cookie is
 * not remembered.
 *
 * <p>One per route, so that a remembered answer never serves another location. Equality is by
 * settings and route, so that an unchanged Ingress gives equal routes.
 */
public final class ExternalAuthPolicy implements RequestPolicy {

  /** The value of {@code X-Sent-From}, ingress-nginx's, which auth services may look for. */
  public static final String SENT_FROM = "nginx-ingress-controller";

  /** The statuses nginx's {@code add_header} adds to without {@code always}. */
  static final Set<Integer> COOKIE_STATUSES =
      Set.of(200, 201, 204, 206, 301, 302, 303, 304, 307, 308);

  private static final Logger LOG = LoggerFactory.getLogger(ExternalAuthPolicy.class);

  private static final int CACHE_SIZE = 10_000;

  /** Request headers not passed to the auth service: the connection's, the body's, and Host. */
  private static final Set<String> NOT_PASSED =
      Set.of(
          "host",
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length",
          "expect",
          "x-forwarded-proto",
          "x-original-uri",
          "x-original-url",
          "x-original-method",
          "x-scheme",
          "x-sent-from",
          "x-real-ip",
          "x-forwarded-for",
          "x-auth-request-redirect");

  private static final PolicyAnswer UNAUTHORIZED =
      PolicyAnswer.text(401, "401 Authorization Required\n");
  private static final PolicyAnswer FORBIDDEN = PolicyAnswer.text(403, "403 Forbidden\n");
  private static final PolicyAnswer FAILED = PolicyAnswer.text(500, "500 Internal Server Error\n");

  private final ExternalAuthSettings settings;
  private final String location;
  private final @Nullable Cache<String, Remembered> remembered;

  /** What is kept of an answer: its status and headers. */
  private record Remembered(SideResponse response, Duration duration) {}

  /**
   * @param location the route's host and path, which keys remembered answers apart
   */
  public ExternalAuthPolicy(ExternalAuthSettings settings, String location) {
    this.settings = requireNonNull(settings, "settings");
    this.location = requireNonNull(location, "location");
    this.remembered =
        settings.cacheKey().isEmpty() || settings.cacheDurations().byStatus().isEmpty()
            ? null
            : Caffeine.newBuilder()
                .maximumSize(CACHE_SIZE)
                .expireAfter(Expiry.<String, Remembered>creating((key, value) -> value.duration()))
                .build();
  }

  public ExternalAuthSettings settings() {
    return settings;
  }

  public String location() {
    return location;
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.AUTHENTICATION;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    String key = remembered == null ? null : cacheKey(request);
    if (key != null) {
      Remembered known = requireNonNull(remembered, "remembered").getIfPresent(key);
      if (known != null) {
        decide(known.response(), request, exchange);
        return;
      }
    }
    SideRequest ask;
    try {
      ask = sideRequest(request);
    } catch (IllegalArgumentException e) {
      LOG.debug("event=external_auth_unsendable location={} cause={}", location, e.getMessage());
      exchange.answer(FAILED);
      return;
    }
    exchange.send(
        ask,
        new SideRequest.Callback() {
          @Override
          public void answered(SideResponse response) {
            remember(key, response);
            decide(response, request, exchange);
          }

          @Override
          public void failed(Throwable cause) {
            LOG.debug(
                "event=external_auth_failed location={} url={} cause={}",
                location,
                ask.url(),
                cause.toString());
            exchange.answer(FAILED);
          }
        });
  }

  /** The auth request for {@code request}. */
  SideRequest sideRequest(PolicyRequest request) {
    URI url = uri(settings.url().render(request));
    List<PolicyAnswer.Header> headers = new ArrayList<>();
    for (String name : request.headerNames()) {
      if (NOT_PASSED.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : request.headers(name)) {
        headers.add(new PolicyAnswer.Header(name, value));
      }
    }
    String requestUri = request.pathAndQuery();
    String httpHost = request.authority() == null ? "" : request.authority();
    String client = request.clientAddress() == null ? "" : request.clientAddress();
    headers.add(new PolicyAnswer.Header("X-Original-URI", requestUri));
    headers.add(
        new PolicyAnswer.Header(
            "X-Original-URL", (request.tls() ? "https" : "http") + "://" + httpHost + requestUri));
    headers.add(new PolicyAnswer.Header("X-Original-Method", request.method()));
    headers.add(new PolicyAnswer.Header("X-Scheme", request.requestedHttps() ? "https" : "http"));
    headers.add(new PolicyAnswer.Header("X-Sent-From", SENT_FROM));
    headers.add(new PolicyAnswer.Header("X-Real-IP", client));
    headers.add(new PolicyAnswer.Header("X-Forwarded-For", client));
    headers.add(
        new PolicyAnswer.Header(
            "X-Auth-Request-Redirect",
            settings.requestRedirect().map(t -> t.render(request)).orElse(requestUri)));
    for (ExternalAuthSettings.ProxyHeader header : settings.proxySetHeaders()) {
      headers.removeIf(existing -> existing.name().equalsIgnoreCase(header.name()));
      headers.add(new PolicyAnswer.Header(header.name(), header.value().render(request)));
    }
    return new SideRequest(
        settings.method().orElse("GET"),
        url,
        headers,
        settings.connectTimeout(),
        settings.readTimeout());
  }

  private void decide(SideResponse response, PolicyRequest request, PolicyExchange exchange) {
    int status = response.status();
    boolean success = status >= 200 && status <= 299;
    boolean signin = status == 401 && settings.signin().isPresent();
    List<String> cookies = response.values("set-cookie");
    for (String cookie : cookies) {
      if (settings.alwaysSetCookie() || signin) {
        exchange.addResponseHeader("set-cookie", cookie);
      } else if (success) {
        exchange.addResponseHeader("set-cookie", cookie, COOKIE_STATUSES);
      }
    }
    if (success) {
      for (String name : settings.responseHeaders()) {
        List<String> values = response.values(name);
        if (values.isEmpty()) {
          exchange.removeUpstreamHeader(name);
        } else {
          exchange.setUpstreamHeader(name, String.join(", ", values));
        }
      }
      exchange.proceed();
      return;
    }
    if (signin) {
      exchange.answer(PolicyAnswer.redirect(302, signinLocation(request)));
      return;
    }
    if (status == 401) {
      List<PolicyAnswer.Header> headers = new ArrayList<>(UNAUTHORIZED.headers());
      for (String challenge : response.values("www-authenticate")) {
        headers.add(new PolicyAnswer.Header("www-authenticate", challenge));
      }
      exchange.answer(new PolicyAnswer(401, headers, UNAUTHORIZED.body()));
      return;
    }
    if (status == 403) {
      exchange.answer(FORBIDDEN);
      return;
    }
    LOG.debug("event=external_auth_failed location={} status={}", location, status);
    exchange.answer(FAILED);
  }

  /**
   * The sign-in URL with the original URL in its redirect parameter, as ingress-nginx builds it:
   * added unless the sign-in URL already gives that parameter a value.
   */
  String signinLocation(PolicyRequest request) {
    AuthTemplate signin = settings.signin().orElseThrow();
    String url = signin.render(request);
    String param = settings.redirectParam();
    if (hasParameter(signin.text(), param)) {
      return url;
    }
    String httpHost = request.authority() == null ? "" : request.authority();
    String original =
        (request.requestedHttps() ? "https" : "http")
            + "://"
            + AuthTemplate.escaped(httpHost).replace("%3A", ":")
            + AuthTemplate.escaped(request.pathAndQuery());
    return url + (url.indexOf('?') < 0 ? "?" : "&") + param + "=" + original;
  }

  private static boolean hasParameter(String url, String name) {
    int question = url.indexOf('?');
    if (question < 0) {
      return false;
    }
    for (String pair : url.substring(question + 1).split("&", -1)) {
      if (pair.startsWith(name + "=") && pair.length() > name.length() + 1) {
        return true;
      }
    }
    return false;
  }

  private @Nullable String cacheKey(PolicyRequest request) {
    AuthTemplate key = settings.cacheKey().orElseThrow();
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      String host = request.host() == null ? "" : request.host().toLowerCase(Locale.ROOT);
      digest.update((host + "\n" + location + "\n").getBytes(StandardCharsets.UTF_8));
      digest.update(key.render(request).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private void remember(@Nullable String key, SideResponse response) {
    Duration duration = settings.cacheDurations().of(response.status());
    if (key == null
        || remembered == null
        || duration.isZero()
        || !response.values("set-cookie").isEmpty()) {
      return;
    }
    remembered.put(key, new Remembered(response, duration));
  }

  private static URI uri(String text) {
    try {
      URI uri = new URI(text);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("auth url: " + text + " (expected: a host)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("auth url: " + text + " (expected: a URL)", e);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o == this
        || (o instanceof ExternalAuthPolicy other
            && settings.equals(other.settings)
            && location.equals(other.location));
  }

  @Override
  public int hashCode() {
    return settings.hashCode() * 31 + location.hashCode();
  }

  @Override
  public String toString() {
    return "ExternalAuthPolicy[url=" + settings.url() + ", location=" + location + "]";
  }
}
