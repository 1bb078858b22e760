package io.portico.controller.audit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.portico.controller.annotations.AnnotationCatalogue;
import io.portico.controller.annotations.Category;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.Kinds;
import io.portico.controller.snapshot.ObjectKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the annotations of one Ingress become in Gateway API terms: the filters every rule of its
 * routes gets, how its paths are read, its HTTPS redirect, and one note per annotation saying what
 * became of it. An Ingress carrying an access control, a protection or a snippet is {@linkplain
 * #kept() kept}: Gateway API has nothing Portico could carry it with, and a route would serve its
 * host without it.
 */
final class IngressPlan {

  static final String CONVERTED = "converted      ";
  static final String APPROXIMATE = "approximately  ";
  static final String NOT_CONVERTED = "not converted  ";

  private static final Set<String> CANARY =
      Set.of(
          "canary",
          "canary-by-cookie",
          "canary-by-header",
          "canary-by-header-pattern",
          "canary-by-header-value",
          "canary-weight",
          "canary-weight-total");
  private static final Set<String> REDIRECT_CODES = Set.of("301", "302", "303", "307", "308");
  private static final Pattern PRECISE_HOST =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
  private static final String DEFAULT_COOKIE = "INGRESSCOOKIE";
  // ingress-nginx's defaults for enable-cors.
  private static final String CORS_METHODS = "GET, PUT, POST, DELETE, PATCH, OPTIONS";
  private static final String CORS_HEADERS =
      "DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,"
          + "Range,Authorization";

  final Ingress ingress;
  final ObjectKey key;
  final IngressAnnotations annotations;
  final List<String> notes = new ArrayList<>();
  final Map<String, String> keptBecause = new TreeMap<>();
  final List<Map<String, Object>> filters = new ArrayList<>();
  Optional<Map<String, Object>> redirect = Optional.empty();
  Optional<String> hostRewrite = Optional.empty();
  Optional<String> rewriteTarget = Optional.empty();
  Optional<String> appRoot = Optional.empty();
  Optional<String> forwardedPrefix = Optional.empty();
  final List<String> aliases = new ArrayList<>();
  Optional<Map<String, Object>> sessionPersistence = Optional.empty();
  boolean regexPaths;
  boolean sslRedirect;
  boolean forceSslRedirect;
  boolean canary;

  IngressPlan(Ingress ingress, ClusterSnapshot snapshot, boolean experimental) {
    this.ingress = ingress;
    this.key = ObjectKey.of(ingress);
    this.annotations = IngressAnnotations.of(ingress);
    canary = annotations.flag("canary", false);
    regexPaths = annotations.flag("use-regex", false) || annotations.has("rewrite-target");
    rewriteTarget = annotations.get("rewrite-target");
    sslRedirect = annotations.flag("ssl-redirect", true);
    forceSslRedirect = annotations.flag("force-ssl-redirect", false);
    for (Map.Entry<String, String> entry : annotations.values().entrySet()) {
      note(entry.getKey(), entry.getValue(), snapshot, experimental);
    }
  }

  boolean kept() {
    return !keptBecause.isEmpty();
  }

  private void note(String name, String value, ClusterSnapshot snapshot, boolean experimental) {
    String key = annotations.key(name);
    Optional<AnnotationCatalogue.Entry> entry = AnnotationCatalogue.find(name);
    Category category = entry.map(AnnotationCatalogue.Entry::category).orElse(Category.OTHER);
    if (refusing(category, entry, value)) {
      String why =
          category.label()
              + ": no Gateway API equivalent, and a route would serve the host without it, so the"
              + " Ingress stays as it is, with its hosts";
      keptBecause.put(key, category.label());
      notes.add(NOT_CONVERTED + key + ": " + why);
      return;
    }
    if (category == Category.PROTECTION && value.equals("0")) {
      notes.add(CONVERTED + key + ": 0, no limit: nothing to carry");
      return;
    }
    if (CANARY.contains(name) || name.equals("affinity-canary-behavior")) {
      canaryNote(name, key, value);
      return;
    }
    switch (name) {
      case "use-regex" ->
          notes.add(
              (regexPaths ? APPROXIMATE : CONVERTED)
                  + key
                  + (regexPaths
                      ? ": paths as RegularExpression (matched whole, so \".*\" is appended) or"
                          + " PathPrefix; Gateway API regexes are case-sensitive where"
                          + " ingress-nginx's ignore case"
                      : ": nothing to carry"));
      case "rewrite-target" ->
          notes.add(
              CONVERTED
                  + key
                  + ": "
                  + value
                  + " as a URLRewrite on each path that allows it (the notes of the rules say"
                  + " where it does not)");
      case "x-forwarded-prefix" -> forwardedPrefix(key, value);
      case "preserve-trailing-slash" ->
          notes.add(
              (annotations.flag(name, false) ? CONVERTED : APPROXIMATE)
                  + key
                  + ": a RequestRedirect keeps the path as it is, trailing slash included");
      case "ssl-redirect", "force-ssl-redirect" ->
          notes.add(
              CONVERTED
                  + key
                  + (annotations.flag(name, name.equals("ssl-redirect"))
                      ? ": a RequestRedirect to https (308) on the HTTP listener, in a route of"
                          + " its own"
                      : ": " + value + ", no redirect: the route serves plain HTTP too"));
      case "permanent-redirect", "temporal-redirect" -> redirect(name, key, value);
      case "permanent-redirect-code", "temporal-redirect-code" ->
          notes.add(CONVERTED + key + ": the RequestRedirect's statusCode");
      case "app-root" -> {
        if (value.startsWith("/") && !value.contains("$")) {
          appRoot = Optional.of(value);
          notes.add(CONVERTED + key + ": an Exact / rule redirecting (302) to " + value);
        } else {
          notes.add(NOT_CONVERTED + key + ": " + value + " is not a path");
        }
      }
      case "upstream-vhost" -> {
        if (PRECISE_HOST.matcher(value).matches()) {
          hostRewrite = Optional.of(value);
          notes.add(
              CONVERTED
                  + key
                  + ": URLRewrite hostname "
                  + value
                  + " (the spec's filter for the Host header, rather than a"
                  + " RequestHeaderModifier)");
        } else {
          notes.add(
              NOT_CONVERTED
                  + key
                  + ": "
                  + value
                  + " is not a plain host name, which is all URLRewrite's hostname takes");
        }
      }
      case "custom-headers" -> customHeaders(key, value, snapshot);
      case "server-alias" -> serverAlias(key, value);
      case "enable-cors" -> cors(key, value);
      case "cors-allow-origin",
          "cors-allow-methods",
          "cors-allow-headers",
          "cors-allow-credentials",
          "cors-expose-headers",
          "cors-max-age" ->
          notes.add(
              (annotations.flag("enable-cors", false) ? CONVERTED : NOT_CONVERTED)
                  + key
                  + (annotations.flag("enable-cors", false)
                      ? ": in the CORS filter"
                      : ": no effect without enable-cors"));
      case "affinity" -> affinity(key, value, experimental);
      case "session-cookie-name", "session-cookie-max-age", "session-cookie-expires" ->
          notes.add(
              (experimental ? CONVERTED : NOT_CONVERTED)
                  + key
                  + (experimental
                      ? ": in sessionPersistence"
                      : ": would go into sessionPersistence (experimental channel, see affinity)"));
      case "mirror-target" -> mirror(key, value);
      case "mirror-request-body", "mirror-host" ->
          notes.add(
              NOT_CONVERTED
                  + key
                  + ": a RequestMirror copies the request as it is, body and Host included");
      case "proxy-connect-timeout",
          "proxy-read-timeout",
          "proxy-send-timeout",
          "proxy-next-upstream-timeout" ->
          notes.add(
              NOT_CONVERTED
                  + key
                  + ": bounds one step of the exchange; Gateway API's timeouts.request and"
                  + " timeouts.backendRequest bound a whole request or attempt, which is not the"
                  + " same limit: set one on the rule if that is what you want");
      default ->
          notes.add(
              NOT_CONVERTED
                  + key
                  + ": no Gateway API equivalent ("
                  + category.label()
                  + (entry.isEmpty() ? ", not an annotation ingress-nginx knows" : "")
                  + ")");
    }
  }

  private static boolean refusing(
      Category category, Optional<AnnotationCatalogue.Entry> entry, String value) {
    if (category != Category.ACCESS
        && category != Category.PROTECTION
        && category != Category.SNIPPET) {
      return false;
    }
    if (entry.isPresent() && entry.get().inert(value)) {
      return false;
    }
    // A limit of 0 is no limit (limit-rps, limit-connections, proxy-body-size).
    return !(category == Category.PROTECTION && value.equals("0"));
  }

  private void canaryNote(String name, String key, String value) {
    switch (name) {
      case "canary" ->
          notes.add(
              CONVERTED
                  + key
                  + (canary ? ": joined to the main Ingress's rules" : ": not a canary"));
      case "canary-weight", "canary-weight-total" ->
          notes.add(CONVERTED + key + ": backendRef weights");
      case "canary-by-header" ->
          notes.add(CONVERTED + key + ": a rule with a header match sending to the canary");
      case "canary-by-header-value" -> notes.add(CONVERTED + key + ": an Exact header match");
      case "canary-by-header-pattern" ->
          notes.add(
              CONVERTED
                  + key
                  + ": a RegularExpression header match, wrapped in .*(?:...).* as a Gateway API"
                  + " regex matches the whole value where ingress-nginx's matched anywhere in it");
      default ->
          notes.add(
              NOT_CONVERTED
                  + key
                  + ": "
                  + value
                  + (name.equals("canary-by-cookie")
                      ? " (HTTPRoute matches cannot test a cookie)"
                      : " (no Gateway API equivalent)"));
    }
  }

  private void forwardedPrefix(String key, String value) {
    if (value.contains("$") || !HEADER_VALUE.matcher(value).matches()) {
      notes.add(NOT_CONVERTED + key + ": " + value + " uses captures, a header value cannot");
      return;
    }
    if (!annotations.has("rewrite-target")) {
      notes.add(CONVERTED + key + ": no effect without rewrite-target, nothing to carry");
      return;
    }
    forwardedPrefix = Optional.of(value);
    notes.add(
        CONVERTED
            + key
            + ": a RequestHeaderModifier setting X-Forwarded-Prefix on the rules that rewrite");
  }

  private static final Pattern HEADER_VALUE = Pattern.compile("[\\x20-\\x7e]*");

  private void redirect(String name, String key, String value) {
    boolean temporal = name.equals("temporal-redirect");
    if (!temporal && annotations.has("temporal-redirect")) {
      notes.add(NOT_CONVERTED + key + ": temporal-redirect is set and wins");
      return;
    }
    String codeName = temporal ? "temporal-redirect-code" : "permanent-redirect-code";
    String code = annotations.get(codeName).orElse(temporal ? "302" : "301");
    if (!REDIRECT_CODES.contains(code)) {
      notes.add(
          NOT_CONVERTED
              + key
              + ": status "
              + code
              + " (expected: 301, 302, 303, 307 or 308, all a RequestRedirect can answer)");
      return;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      notes.add(NOT_CONVERTED + key + ": " + value + " is not a URL");
      return;
    }
    if (uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      notes.add(
          NOT_CONVERTED
              + key
              + ": "
              + value
              + " (a RequestRedirect sets scheme, host, port and path, no query)");
      return;
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("scheme", uri.getScheme());
    spec.put("hostname", uri.getHost());
    if (uri.getPort() != -1) {
      spec.put("port", uri.getPort());
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    spec.put("path", GatewayConversion.pathModifier("ReplaceFullPath", "replaceFullPath", path));
    spec.put("statusCode", Integer.parseInt(code));
    redirect = Optional.of(filter("RequestRedirect", "requestRedirect", spec));
    notes.add(
        APPROXIMATE
            + key
            + ": a RequestRedirect to "
            + value
            + " ("
            + code
            + "), in place of the backends; the request's query is kept where ingress-nginx"
            + " dropped it");
  }

  private void serverAlias(String key, String value) {
    List<String> skipped = new ArrayList<>();
    for (String name : split(value, ",")) {
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      boolean wildcard = lower.startsWith("*.");
      if (PRECISE_HOST.matcher(wildcard ? lower.substring(2) : lower).matches()) {
        aliases.add(lower);
      } else {
        skipped.add(name);
      }
    }
    notes.add(
        (skipped.isEmpty() ? CONVERTED : APPROXIMATE)
            + key
            + ": more hostnames on every route of the Ingress's hosts"
            + (skipped.isEmpty() ? "" : "; left out, not host names: " + String.join(", ", skipped))
            + "; a name another Ingress serves itself stays that Ingress's");
  }

  private void customHeaders(String key, String value, ClusterSnapshot snapshot) {
    ObjectKey configMapKey =
        value.contains("/") ? ObjectKey.parse(value) : new ObjectKey(this.key.namespace(), value);
    ConfigMap configMap = snapshot.get(Kinds.CONFIG_MAP, configMapKey);
    if (!configMapKey.namespace().equals(this.key.namespace())
        || configMap == null
        || configMap.getData() == null) {
      notes.add(
          NOT_CONVERTED
              + key
              + ": ConfigMap "
              + configMapKey
              + " not read (in a cluster the audit lists no ConfigMaps; in another namespace"
              + " Portico refuses it)");
      return;
    }
    List<Map<String, Object>> set = new ArrayList<>();
    new TreeMap<>(configMap.getData())
        .forEach(
            (name, headerValue) -> {
              if (HEADER_NAME.matcher(name).matches()) {
                set.add(header(name, headerValue));
              }
            });
    if (set.isEmpty() || set.size() > 16) {
      notes.add(NOT_CONVERTED + key + ": " + set.size() + " headers (expected: 1 to 16)");
      return;
    }
    filters.add(filter("ResponseHeaderModifier", "responseHeaderModifier", Map.of("set", set)));
    notes.add(
        CONVERTED
            + key
            + ": a ResponseHeaderModifier setting the "
            + set.size()
            + " headers of ConfigMap "
            + configMapKey
            + " (copied: a change to the ConfigMap no longer applies)");
  }

  private void cors(String key, String value) {
    if (!annotations.flag("enable-cors", false)) {
      notes.add(CONVERTED + key + ": " + value + ", nothing to carry");
      return;
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("allowOrigins", split(annotations.get("cors-allow-origin").orElse("*"), ","));
    spec.put(
        "allowMethods", split(annotations.get("cors-allow-methods").orElse(CORS_METHODS), ","));
    spec.put(
        "allowHeaders", split(annotations.get("cors-allow-headers").orElse(CORS_HEADERS), ","));
    annotations
        .get("cors-expose-headers")
        .ifPresent(headers -> spec.put("exposeHeaders", split(headers, ",")));
    spec.put("allowCredentials", annotations.flag("cors-allow-credentials", true));
    try {
      spec.put(
          "maxAge", Integer.parseInt(annotations.get("cors-max-age").orElse("1728000").strip()));
    } catch (NumberFormatException e) {
      spec.put("maxAge", 1728000);
    }
    filters.add(filter("CORS", "cors", spec));
    notes.add(
        APPROXIMATE
            + key
            + ": the CORS filter (standard channel, extended support), with ingress-nginx's"
            + " defaults written out; it answers as the Gateway API spec says (an origin not"
            + " allowed gets no CORS headers), not as ingress-nginx did");
  }

  private void affinity(String key, String value, boolean experimental) {
    if (!value.equals("cookie")) {
      notes.add(NOT_CONVERTED + key + ": " + value + " (only cookie affinity has an equivalent)");
      return;
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("sessionName", annotations.get("session-cookie-name").orElse(DEFAULT_COOKIE));
    spec.put("type", "Cookie");
    Optional<String> maxAge =
        annotations
            .get("session-cookie-max-age")
            .or(() -> annotations.get("session-cookie-expires"));
    maxAge
        .filter(seconds -> seconds.matches("[0-9]{1,9}"))
        .ifPresent(seconds -> spec.put("absoluteTimeout", seconds + "s"));
    spec.put("cookieConfig", Map.of("lifetimeType", maxAge.isPresent() ? "Permanent" : "Session"));
    if (experimental) {
      sessionPersistence = Optional.of(spec);
      notes.add(
          APPROXIMATE
              + key
              + ": sessionPersistence on each rule (experimental channel, GEP-1619); the"
              + " cookie's path, SameSite, Secure and domain are the implementation's");
    } else {
      notes.add(
          NOT_CONVERTED
              + key
              + ": sessionPersistence is in the experimental channel only; run with"
              + " --gateway-channel experimental to have it written");
    }
  }

  private void mirror(String key, String value) {
    URI uri;
    try {
      uri = new URI(value.replace("$request_uri", ""));
    } catch (URISyntaxException e) {
      notes.add(NOT_CONVERTED + key + ": " + value + " is not a URL");
      return;
    }
    String host = uri.getHost();
    if (host == null) {
      notes.add(NOT_CONVERTED + key + ": " + value + " names no Service");
      return;
    }
    String[] labels = host.split("\\.");
    boolean sameNamespace =
        labels.length == 1 || (labels.length >= 2 && labels[1].equals(this.key.namespace()));
    if (!sameNamespace) {
      notes.add(
          NOT_CONVERTED + key + ": " + value + " is not a Service of the Ingress's namespace");
      return;
    }
    int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    filters.add(
        filter(
            "RequestMirror", "requestMirror", Map.of("backendRef", backendRef(labels[0], port))));
    notes.add(
        CONVERTED
            + key
            + ": a RequestMirror to Service "
            + labels[0]
            + " port "
            + port
            + " (the copy keeps the request's path)");
  }

  static Map<String, Object> filter(String type, String field, Map<String, ?> spec) {
    Map<String, Object> filter = new LinkedHashMap<>();
    filter.put("type", type);
    filter.put(field, spec);
    return filter;
  }

  private static Map<String, Object> backendRef(String service, int port) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("name", service);
    ref.put("port", port);
    return ref;
  }

  static Map<String, Object> header(String name, String value) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("name", name);
    header.put("value", value);
    return header;
  }

  private static List<String> split(String text, String separator) {
    List<String> out = new ArrayList<>();
    for (String part : text.split(separator)) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return out;
  }
}
