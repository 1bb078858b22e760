package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What external authentication asks of a route, read from ingress-nginx's {@code auth-*}
 * annotations or the controller ConfigMap's {@code global-auth-*} keys. Immutable; build with
 * {@link #builder(AuthTemplate)}.
 *
 * @param url where to ask ({@code auth-url}): an absolute {@code http} or {@code https} URL whose
 *     host may only be {@code $host} or {@code $http_host} when it names a variable
 * @param method the method of the auth request ({@code auth-method}); empty for {@code GET}
 * @param signin where a 401 sends the client instead ({@code auth-signin}), if anywhere
 * @param redirectParam the query parameter of {@code signin} that holds the original URL ({@code
 *     auth-signin-redirect-param}, default {@code rd})
 * @param responseHeaders headers copied from a 2xx answer to the request to the backend ({@code
 *     auth-response-headers}); one the answer lacks is removed from the request
 * @param requestRedirect the value of {@code X-Auth-Request-Redirect} ({@code
 *     auth-request-redirect}); empty for the request URI
 * @param cacheKey what answers are remembered by ({@code auth-cache-key}); empty: none is
 * @param cacheDurations how long, by status ({@code auth-cache-duration})
 * @param alwaysSetCookie whether the auth service's {@code Set-Cookie} goes on every answer, not
 *     only on successes and redirects ({@code auth-always-set-cookie})
 * @param proxySetHeaders headers set on the auth request ({@code auth-proxy-set-headers})
 * @param connectTimeout how long connecting to the auth service may take
 * @param readTimeout how long its answer may take
 */
public record ExternalAuthSettings(
    AuthTemplate url,
    Optional<String> method,
    Optional<AuthTemplate> signin,
    String redirectParam,
    List<String> responseHeaders,
    Optional<AuthTemplate> requestRedirect,
    Optional<AuthTemplate> cacheKey,
    AuthCacheDurations cacheDurations,
    boolean alwaysSetCookie,
    List<ProxyHeader> proxySetHeaders,
    Duration connectTimeout,
    Duration readTimeout) {

  /** ingress-nginx's default {@code auth-signin-redirect-param}. */
  public static final String DEFAULT_REDIRECT_PARAM = "rd";

  /** The methods {@code auth-method} may name, as ingress-nginx accepts them. */
  public static final Pattern METHOD =
      Pattern.compile("GET|HEAD|POST|PUT|PATCH|DELETE|CONNECT|OPTIONS|TRACE");

  /** A header name as ingress-nginx accepts it in {@code auth-response-headers}. */
  public static final Pattern HEADER = Pattern.compile("[A-Za-z0-9_-]+");

  /** A query parameter name for {@code auth-signin-redirect-param}. */
  public static final Pattern PARAM = Pattern.compile("[A-Za-z0-9._~-]+");

  /** A header the auth request carries: its name and its value, which may name variables. */
  public record ProxyHeader(String name, AuthTemplate value) {
    public ProxyHeader {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      if (!HEADER.matcher(name).matches()) {
        throw new IllegalArgumentException("header name: " + name + " (expected: [A-Za-z0-9_-]+)");
      }
      if (value.use() != AuthTemplate.Use.HEADER) {
        throw new IllegalArgumentException("value: " + value + " (expected: a header template)");
      }
    }
  }

  public ExternalAuthSettings {
    requireNonNull(url, "url");
    requireNonNull(method, "method");
    requireNonNull(signin, "signin");
    requireNonNull(redirectParam, "redirectParam");
    responseHeaders = List.copyOf(requireNonNull(responseHeaders, "responseHeaders"));
    requireNonNull(requestRedirect, "requestRedirect");
    requireNonNull(cacheKey, "cacheKey");
    requireNonNull(cacheDurations, "cacheDurations");
    proxySetHeaders = List.copyOf(requireNonNull(proxySetHeaders, "proxySetHeaders"));
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(readTimeout, "readTimeout");
    checkUrl(url, "url");
    signin.ifPresent(template -> checkUrl(template, "signin"));
    requestRedirect.ifPresent(
        template -> checkUse(template, AuthTemplate.Use.URL, "requestRedirect"));
    cacheKey.ifPresent(template -> checkUse(template, AuthTemplate.Use.KEY, "cacheKey"));
    method.ifPresent(
        name -> {
          if (!METHOD.matcher(name).matches()) {
            throw new IllegalArgumentException("method: " + name + " (expected: " + METHOD + ")");
          }
        });
    if (!PARAM.matcher(redirectParam).matches()) {
      throw new IllegalArgumentException(
          "redirectParam: " + redirectParam + " (expected: " + PARAM + ")");
    }
    for (String header : responseHeaders) {
      if (!HEADER.matcher(header).matches()) {
        throw new IllegalArgumentException(
            "responseHeaders: " + header + " (expected: " + HEADER + ")");
      }
    }
  }

  /** Settings that ask {@code url} with ingress-nginx's defaults for the rest. */
  public static Builder builder(AuthTemplate url) {
    return new Builder(url);
  }

  /**
   * Why {@code template} cannot be the URL of an auth service or a sign-in page, or empty when it
   * can: it must start with {@code http://} or {@code https://} and a host, and a host that names a
   * variable may name only {@code $host} or {@code $http_host} (any other value would let a client
   * choose where Portico connects).
   */
  public static Optional<String> urlProblem(AuthTemplate template) {
    String text = template.text();
    String lower = text.toLowerCase(Locale.ROOT);
    int start;
    if (lower.startsWith("https://")) {
      start = 8;
    } else if (lower.startsWith("http://")) {
      start = 7;
    } else {
      return Optional.of("\"" + text + "\" (expected: an absolute http:// or https:// URL)");
    }
    int end = start;
    while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0) {
      end++;
    }
    String authority = text.substring(start, end);
    if (authority.isEmpty() || authority.startsWith(":")) {
      return Optional.of("\"" + text + "\" (expected: a host after the scheme)");
    }
    String withoutHostVariables = authority.replace("$http_host", "").replace("$host", "");
    if (withoutHostVariables.indexOf('$') >= 0) {
      return Optional.of(
          "\"" + text + "\" (expected: a host that is literal, $host or $http_host)");
    }
    if (!withoutHostVariables.matches("[A-Za-z0-9.-]*(:[0-9]{1,5})?")) {
      return Optional.of("\"" + text + "\" (expected: a host name or address, and a port)");
    }
    return Optional.empty();
  }

  private static void checkUrl(AuthTemplate template, String name) {
    checkUse(template, AuthTemplate.Use.URL, name);
    urlProblem(template)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(name + ": " + problem);
            });
  }

  private static void checkUse(AuthTemplate template, AuthTemplate.Use use, String name) {
    if (template.use() != use) {
      throw new IllegalArgumentException(
          name + ": " + template + " (expected: a template for " + use + ")");
    }
  }

  /** Builds {@link ExternalAuthSettings}; every setting starts at ingress-nginx's default. */
  public static final class Builder {
    private final AuthTemplate url;
    private Optional<String> method = Optional.empty();
    private Optional<AuthTemplate> signin = Optional.empty();
    private String redirectParam = DEFAULT_REDIRECT_PARAM;
    private List<String> responseHeaders = List.of();
    private Optional<AuthTemplate> requestRedirect = Optional.empty();
    private Optional<AuthTemplate> cacheKey = Optional.empty();
    private AuthCacheDurations cacheDurations =
        AuthCacheDurations.parse(AuthCacheDurations.DEFAULT).orElseThrow();
    private boolean alwaysSetCookie;
    private List<ProxyHeader> proxySetHeaders = List.of();
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(60);

    private Builder(AuthTemplate url) {
      this.url = requireNonNull(url, "url");
    }

    public Builder method(String method) {
      this.method = Optional.of(method);
      return this;
    }

    public Builder signin(AuthTemplate signin) {
      this.signin = Optional.of(signin);
      return this;
    }

    public Builder redirectParam(String redirectParam) {
      this.redirectParam = redirectParam;
      return this;
    }

    public Builder responseHeaders(List<String> responseHeaders) {
      this.responseHeaders = responseHeaders;
      return this;
    }

    public Builder requestRedirect(AuthTemplate requestRedirect) {
      this.requestRedirect = Optional.of(requestRedirect);
      return this;
    }

    public Builder cache(AuthTemplate key, AuthCacheDurations durations) {
      this.cacheKey = Optional.of(key);
      this.cacheDurations = durations;
      return this;
    }

    public Builder alwaysSetCookie(boolean alwaysSetCookie) {
      this.alwaysSetCookie = alwaysSetCookie;
      return this;
    }

    public Builder proxySetHeaders(List<ProxyHeader> proxySetHeaders) {
      this.proxySetHeaders = proxySetHeaders;
      return this;
    }

    public Builder timeouts(Duration connect, Duration read) {
      this.connectTimeout = connect;
      this.readTimeout = read;
      return this;
    }

    public ExternalAuthSettings build() {
      return new ExternalAuthSettings(
          url,
          method,
          signin,
          redirectParam,
          responseHeaders,
          requestRedirect,
          cacheKey,
          cacheDurations,
          alwaysSetCookie,
          proxySetHeaders,
          connectTimeout,
          readTimeout);
    }
  }
}
