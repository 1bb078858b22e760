package io.portico.controller.annotations;

import io.portico.controller.config.ConfigKey;
import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.ControllerConfig;
import io.portico.router.access.AuthCacheDurations;
import io.portico.router.access.AuthTemplate;
import io.portico.router.access.ExternalAuthPolicy;
import io.portico.router.access.ExternalAuthSettings;
import io.portico.router.policy.ClosedPolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * External authentication: {@code auth-url} and the {@code auth-*} annotations that shape it, or,
 * for an Ingress without {@code auth-url} whose {@code enable-global-auth} is not {@code false},
 * the controller ConfigMap's {@code global-auth-*} keys. Every route of the Ingress gets its own
 * {@link ExternalAuthPolicy} (remembered answers never cross routes), except routes whose path
 * starts with one of the ConfigMap's {@code no-auth-locations} (by default the ACME challenge
 * path), as in ingress-nginx.
 *
 * <p>Fail closed, never served open:
 *
 * <ul>
 *   <li>a value that does not read refuses the Ingress, with a finding naming the annotation: a URL
 *       that is not absolute {@code http(s)}, a {@code $variable} outside the documented set, a
 *       character nginx would have to interpret (CVE-2025-24514 came from interpolating such
 *       values); so does an {@code auth-*} annotation without {@code auth-url}, which ingress-nginx
 *       would ignore;
 *   <li>an {@code auth-proxy-set-headers} ConfigMap that is missing or holds what cannot be sent,
 *       and a {@code global-auth-*} key that does not read, make every route the auth would guard
 *       answer 503, with a warning: the ConfigMap may be fixed later.
 * </ul>
 *
 * The auth request's timeouts are the ConfigMap's {@code proxy-connect-timeout} and {@code
 * proxy-read-timeout}. {@code auth-keepalive*} are read and checked, but Portico keeps connections
 * to the auth service alive in the listener's pool whatever they say.
 */
public final class ExternalAuthFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "external-auth";

  static final String URL = "auth-url";
  static final String METHOD = "auth-method";
  static final String SIGNIN = "auth-signin";
  static final String REDIRECT_PARAM = "auth-signin-redirect-param";
  static final String RESPONSE_HEADERS = "auth-response-headers";
  static final String REQUEST_REDIRECT = "auth-request-redirect";
  static final String CACHE_KEY = "auth-cache-key";
  static final String CACHE_DURATION = "auth-cache-duration";
  static final String ALWAYS_SET_COOKIE = "auth-always-set-cookie";
  static final String PROXY_SET_HEADERS = "auth-proxy-set-headers";
  static final String KEEPALIVE = "auth-keepalive";
  static final String KEEPALIVE_REQUESTS = "auth-keepalive-requests";
  static final String KEEPALIVE_SHARE_VARS = "auth-keepalive-share-vars";
  static final String KEEPALIVE_TIMEOUT = "auth-keepalive-timeout";
  static final String ENABLE_GLOBAL_AUTH = "enable-global-auth";

  /** What shapes {@code auth-url}: set without it, each refuses the Ingress. */
  private static final List<String> SHAPING =
      List.of(
          METHOD,
          SIGNIN,
          REDIRECT_PARAM,
          RESPONSE_HEADERS,
          REQUEST_REDIRECT,
          CACHE_KEY,
          CACHE_DURATION,
          ALWAYS_SET_COOKIE,
          PROXY_SET_HEADERS,
          KEEPALIVE,
          KEEPALIVE_REQUESTS,
          KEEPALIVE_SHARE_VARS,
          KEEPALIVE_TIMEOUT);

  private static final Set<String> ANNOTATIONS = annotationNames();

  private static final Pattern CONFIG_MAP =
      Pattern.compile("(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-.a-z0-9]*[a-z0-9])?");

  private static final String CLOSED = "every route of the Ingress answers 503";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> annotations() {
    return ANNOTATIONS;
  }

  @Override
  public void read(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    Optional<String> url = values.get(URL).filter(value -> !value.isEmpty());
    boolean global = globalAuthEnabled(values, report);
    if (url.isEmpty()) {
      for (String name : SHAPING) {
        if (values.has(name)) {
          values.get(name);
          report.refuse(
              name,
              name
                  + " is set without auth-url (ingress-nginx would ignore it; set auth-url, or"
                  + " remove "
                  + name
                  + ")");
        }
      }
      if (global && !context.config().get(ConfigKeys.GLOBAL_AUTH_URL).isEmpty()) {
        readGlobal(context, policy, report);
      }
      return;
    }
    Reading reading = new Reading(values, report);
    Optional<AuthTemplate> authUrl = reading.url(URL, url.get());
    Optional<String> method = reading.method(values.get(METHOD));
    Optional<AuthTemplate> signin =
        values.get(SIGNIN).filter(v -> !v.isEmpty()).flatMap(v -> reading.url(SIGNIN, v));
    String param = reading.param(values.get(REDIRECT_PARAM));
    List<String> headers = reading.headers(values.get(RESPONSE_HEADERS));
    Optional<AuthTemplate> redirect =
        values
            .get(REQUEST_REDIRECT)
            .filter(v -> !v.isEmpty())
            .flatMap(v -> reading.template(REQUEST_REDIRECT, v, AuthTemplate.Use.URL));
    Optional<AuthTemplate> cacheKey =
        values
            .get(CACHE_KEY)
            .filter(v -> !v.isEmpty())
            .flatMap(v -> reading.template(CACHE_KEY, v, AuthTemplate.Use.KEY));
    AuthCacheDurations durations = reading.durations(values.get(CACHE_DURATION));
    boolean alwaysSetCookie = reading.flag(values.get(ALWAYS_SET_COOKIE));
    keepalive(values, report);
    if (reading.refused || authUrl.isEmpty()) {
      return;
    }
    Optional<List<ExternalAuthSettings.ProxyHeader>> proxyHeaders =
        proxySetHeaders(values, context, policy, report);
    if (proxyHeaders.isEmpty()) {
      return;
    }
    ExternalAuthSettings.Builder settings =
        ExternalAuthSettings.builder(authUrl.get())
            .redirectParam(param)
            .responseHeaders(headers)
            .alwaysSetCookie(alwaysSetCookie)
            .proxySetHeaders(proxyHeaders.get())
            .timeouts(
                context.config().get(ConfigKeys.PROXY_CONNECT_TIMEOUT),
                context.config().get(ConfigKeys.PROXY_READ_TIMEOUT));
    method.ifPresent(settings::method);
    signin.ifPresent(settings::signin);
    redirect.ifPresent(settings::requestRedirect);
    cacheKey.ifPresent(key -> settings.cache(key, durations));
    policy.routeRule(
        new EveryRoute(settings.build(), context.config().get(ConfigKeys.NO_AUTH_LOCATIONS)));
  }

  /** {@code enable-global-auth}, true unless it says false; a bad value keeps it on. */
  private static boolean globalAuthEnabled(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get(ENABLE_GLOBAL_AUTH);
    if (value.isEmpty()) {
      return true;
    }
    Optional<Boolean> parsed = Booleans.parse(value.get());
    if (parsed.isEmpty()) {
      report.invalid(
          ENABLE_GLOBAL_AUTH, "\"" + value.get() + "\"", Booleans.EXPECTED, "global auth applies");
      return true;
    }
    return parsed.get();
  }

  /** The ConfigMap's global auth; a key that does not read closes the routes instead. */
  private static void readGlobal(
      IngressContext context, IngressPolicy.Builder policy, AnnotationReport report) {
    ControllerConfig config = context.config();
    List<String> problems = new ArrayList<>();
    Optional<AuthTemplate> url =
        globalTemplate(config, ConfigKeys.GLOBAL_AUTH_URL, AuthTemplate.Use.URL, problems);
    url.flatMap(ExternalAuthSettings::urlProblem)
        .ifPresent(problem -> problems.add(ConfigKeys.GLOBAL_AUTH_URL.name() + ": " + problem));
    Optional<AuthTemplate> signin =
        globalTemplate(config, ConfigKeys.GLOBAL_AUTH_SIGNIN, AuthTemplate.Use.URL, problems);
    signin
        .flatMap(ExternalAuthSettings::urlProblem)
        .ifPresent(problem -> problems.add(ConfigKeys.GLOBAL_AUTH_SIGNIN.name() + ": " + problem));
    Optional<AuthTemplate> redirect =
        globalTemplate(
            config, ConfigKeys.GLOBAL_AUTH_REQUEST_REDIRECT, AuthTemplate.Use.URL, problems);
    Optional<AuthTemplate> cacheKey =
        globalTemplate(config, ConfigKeys.GLOBAL_AUTH_CACHE_KEY, AuthTemplate.Use.KEY, problems);
    String method = config.get(ConfigKeys.GLOBAL_AUTH_METHOD);
    if (!method.isEmpty() && !ExternalAuthSettings.METHOD.matcher(method).matches()) {
      problems.add(
          ConfigKeys.GLOBAL_AUTH_METHOD.name() + ": \"" + method + "\" (expected: an HTTP method)");
    }
    String param = config.get(ConfigKeys.GLOBAL_AUTH_SIGNIN_REDIRECT_PARAM);
    if (!param.isEmpty() && !ExternalAuthSettings.PARAM.matcher(param).matches()) {
      problems.add(
          ConfigKeys.GLOBAL_AUTH_SIGNIN_REDIRECT_PARAM.name()
              + ": \""
              + param
              + "\" (expected: a query parameter name)");
    }
    List<String> headers = new ArrayList<>();
    for (String header : config.get(ConfigKeys.GLOBAL_AUTH_RESPONSE_HEADERS).split(",", -1)) {
      String name = header.strip();
      if (name.isEmpty()) {
        continue;
      }
      if (!ExternalAuthSettings.HEADER.matcher(name).matches()) {
        problems.add(
            ConfigKeys.GLOBAL_AUTH_RESPONSE_HEADERS.name()
                + ": \""
                + name
                + "\" (expected: a header name)");
      }
      headers.add(name);
    }
    Optional<AuthCacheDurations> durations =
        AuthCacheDurations.parse(config.get(ConfigKeys.GLOBAL_AUTH_CACHE_DURATION));
    if (durations.isEmpty()) {
      problems.add(
          ConfigKeys.GLOBAL_AUTH_CACHE_DURATION.name()
              + ": \""
              + config.get(ConfigKeys.GLOBAL_AUTH_CACHE_DURATION)
              + "\" (expected: status codes then a duration, e.g. 200 202 401 5m)");
    }
    if (!problems.isEmpty() || url.isEmpty() || durations.isEmpty()) {
      String why =
          "the controller ConfigMap's global auth is invalid: " + String.join("; ", problems);
      report.invalid(
          ENABLE_GLOBAL_AUTH,
          "(unset)",
          "a valid global-auth-* configuration",
          why + "; " + CLOSED);
      policy.routeRule(new Closed(new ClosedPolicy(why), config.get(ConfigKeys.NO_AUTH_LOCATIONS)));
      return;
    }
    ExternalAuthSettings.Builder settings =
        ExternalAuthSettings.builder(url.get())
            .responseHeaders(headers)
            .alwaysSetCookie(config.get(ConfigKeys.GLOBAL_AUTH_ALWAYS_SET_COOKIE))
            .timeouts(
                config.get(ConfigKeys.PROXY_CONNECT_TIMEOUT),
                config.get(ConfigKeys.PROXY_READ_TIMEOUT));
    if (!method.isEmpty()) {
      settings.method(method);
    }
    if (!param.isEmpty()) {
      settings.redirectParam(param);
    }
    signin.ifPresent(settings::signin);
    redirect.ifPresent(settings::requestRedirect);
    cacheKey.ifPresent(key -> settings.cache(key, durations.get()));
    policy.routeRule(new EveryRoute(settings.build(), config.get(ConfigKeys.NO_AUTH_LOCATIONS)));
  }

  private static Optional<AuthTemplate> globalTemplate(
      ControllerConfig config, ConfigKey<String> key, AuthTemplate.Use use, List<String> problems) {
    String text = config.get(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(AuthTemplate.parse(text, use));
    } catch (IllegalArgumentException e) {
      problems.add(key.name() + ": " + String.valueOf(e.getMessage()));
      return Optional.empty();
    }
  }

  /** {@code auth-keepalive*}: checked, without effect (connections are always kept alive). */
  private static void keepalive(AnnotationValues values, AnnotationReport report) {
    String why =
        "Portico keeps connections to the auth service alive in the listener's pool whatever it"
            + " says";
    for (String name : List.of(KEEPALIVE, KEEPALIVE_REQUESTS, KEEPALIVE_TIMEOUT)) {
      Optional<String> value = values.get(name);
      if (value.isPresent() && !value.get().matches("-?[0-9]{1,9}")) {
        report.invalid(name, "\"" + value.get() + "\"", "a whole number", why);
      } else if (value.isPresent()) {
        report.unused(name, why);
      }
    }
    Optional<String> share = values.get(KEEPALIVE_SHARE_VARS);
    if (share.isPresent()) {
      report.unused(
          KEEPALIVE_SHARE_VARS, "Portico has no nginx variables to share with the auth request");
    }
  }

  /**
   * The headers of {@code auth-proxy-set-headers}'s ConfigMap; empty when the ConfigMap cannot be
   * used, and then every route closes.
   */
  private static Optional<List<ExternalAuthSettings.ProxyHeader>> proxySetHeaders(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    Optional<String> reference = values.get(PROXY_SET_HEADERS).filter(v -> !v.isEmpty());
    if (reference.isEmpty()) {
      return Optional.of(List.of());
    }
    String shown = "\"" + reference.get() + "\"";
    if (!CONFIG_MAP.matcher(reference.get()).matches()) {
      report.refuse(
          PROXY_SET_HEADERS, shown + " (expected: the name or namespace/name of a ConfigMap)");
      return Optional.empty();
    }
    ObjectReference configMap = ObjectReference.parse(reference.get(), context);
    String namespace = configMap.namespace();
    String name = configMap.name();
    if (!configMap.allowedFor(context)) {
      report.refuse(
          PROXY_SET_HEADERS,
          shown + " (expected: " + ObjectReference.sameNamespace("ConfigMap", context) + ")");
      return Optional.empty();
    }
    Optional<Map<String, String>> data = context.configMaps().data(namespace, name);
    String reason;
    if (data.isEmpty()) {
      reason = "ConfigMap " + namespace + "/" + name + " not found";
    } else {
      List<ExternalAuthSettings.ProxyHeader> headers = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      for (Map.Entry<String, String> entry : new TreeMap<>(data.get()).entrySet()) {
        try {
          headers.add(
              new ExternalAuthSettings.ProxyHeader(
                  entry.getKey(), AuthTemplate.parse(entry.getValue(), AuthTemplate.Use.HEADER)));
        } catch (IllegalArgumentException e) {
          problems.add("key " + entry.getKey() + ": " + String.valueOf(e.getMessage()));
        }
      }
      if (problems.isEmpty()) {
        return Optional.of(headers);
      }
      reason = "ConfigMap " + namespace + "/" + name + ": " + String.join("; ", problems);
    }
    report.invalid(
        PROXY_SET_HEADERS,
        shown,
        "a ConfigMap whose keys are header names and whose values are header values",
        reason + "; " + CLOSED);
    policy.routeRule(
        new Closed(new ClosedPolicy(reason), context.config().get(ConfigKeys.NO_AUTH_LOCATIONS)));
    return Optional.empty();
  }

  /** Reads the annotations that shape {@code auth-url}; any that does not read refuses. */
  private static final class Reading {
    private final AnnotationValues values;
    private final AnnotationReport report;
    private boolean refused;

    Reading(AnnotationValues values, AnnotationReport report) {
      this.values = values;
      this.report = report;
    }

    Optional<AuthTemplate> url(String name, String text) {
      Optional<AuthTemplate> template = template(name, text, AuthTemplate.Use.URL);
      Optional<String> problem = template.flatMap(ExternalAuthSettings::urlProblem);
      if (problem.isPresent()) {
        refuse(name, problem.get());
        return Optional.empty();
      }
      return template;
    }

    Optional<AuthTemplate> template(String name, String text, AuthTemplate.Use use) {
      try {
        return Optional.of(AuthTemplate.parse(text, use));
      } catch (IllegalArgumentException e) {
        refuse(name, String.valueOf(e.getMessage()));
        return Optional.empty();
      }
    }

    Optional<String> method(Optional<String> value) {
      Optional<String> method = value.filter(v -> !v.isEmpty());
      if (method.isPresent() && !ExternalAuthSettings.METHOD.matcher(method.get()).matches()) {
        refuse(
            METHOD,
            "\""
                + method.get()
                + "\" (expected: GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS or TRACE)");
        return Optional.empty();
      }
      return method;
    }

    String param(Optional<String> value) {
      Optional<String> param = value.filter(v -> !v.isEmpty());
      if (param.isEmpty()) {
        return ExternalAuthSettings.DEFAULT_REDIRECT_PARAM;
      }
      if (!ExternalAuthSettings.PARAM.matcher(param.get()).matches()) {
        refuse(
            REDIRECT_PARAM,
            "\"" + param.get() + "\" (expected: a query parameter name: letters, digits, -._~)");
      }
      return param.get();
    }

    List<String> headers(Optional<String> value) {
      List<String> headers = new ArrayList<>();
      for (String header : value.orElse("").split(",", -1)) {
        String name = header.strip();
        if (name.isEmpty()) {
          continue;
        }
        if (!ExternalAuthSettings.HEADER.matcher(name).matches()) {
          refuse(
              RESPONSE_HEADERS,
              "\"" + value.orElse("") + "\" (expected: comma-separated header names)");
          return List.of();
        }
        headers.add(name);
      }
      return headers;
    }

    AuthCacheDurations durations(Optional<String> value) {
      Optional<String> text = value.filter(v -> !v.isEmpty());
      Optional<AuthCacheDurations> durations =
          AuthCacheDurations.parse(text.orElse(AuthCacheDurations.DEFAULT));
      if (durations.isEmpty()) {
        refuse(
            CACHE_DURATION,
            "\""
                + text.orElse("")
                + "\" (expected: status codes then a duration, e.g. 200 202 401 5m)");
        return AuthCacheDurations.parse(AuthCacheDurations.DEFAULT).orElseThrow();
      }
      return durations.get();
    }

    boolean flag(Optional<String> value) {
      if (value.isEmpty()) {
        return false;
      }
      Optional<Boolean> parsed = Booleans.parse(value.get());
      if (parsed.isEmpty()) {
        refuse(ALWAYS_SET_COOKIE, "\"" + value.get() + "\" (expected: " + Booleans.EXPECTED + ")");
        return false;
      }
      return parsed.get();
    }

    private void refuse(String name, String why) {
      refused = true;
      report.refuse(name, why);
    }
  }

  private static Set<String> annotationNames() {
    List<String> names = new ArrayList<>(SHAPING);
    names.add(URL);
    names.add(ENABLE_GLOBAL_AUTH);
    return Set.copyOf(names);
  }

  /** Whether a route on {@code path} is one of {@code no-auth-locations}. */
  private static boolean exempt(PathMatch path, List<String> noAuthLocations) {
    for (String location : noAuthLocations) {
      if (path.rulePath().startsWith(location)) {
        return true;
      }
    }
    return false;
  }

  /** An {@link ExternalAuthPolicy} of its own on every route but those of no-auth-locations. */
  record EveryRoute(ExternalAuthSettings settings, List<String> noAuthLocations)
      implements RoutePolicyRule {
    EveryRoute {
      noAuthLocations = List.copyOf(noAuthLocations);
    }

    @Override
    public List<RequestPolicy> policies(HostnamePattern host, PathMatch path) {
      if (exempt(path, noAuthLocations)) {
        return List.of();
      }
      return List.of(
          new ExternalAuthPolicy(settings, host + " " + path.typeName() + " " + path.rulePath()));
    }
  }

  /** A 503 on every route but those of no-auth-locations. */
  record Closed(RequestPolicy policy, List<String> noAuthLocations) implements RoutePolicyRule {
    Closed {
      noAuthLocations = List.copyOf(noAuthLocations);
    }

    @Override
    public List<RequestPolicy> policies(HostnamePattern host, PathMatch path) {
      return exempt(path, noAuthLocations) ? List.of() : List.of(policy);
    }
  }
}
