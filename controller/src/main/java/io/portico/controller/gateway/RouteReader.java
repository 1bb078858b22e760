package io.portico.controller.gateway;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.CookieConfig;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Fraction;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCMethodMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPCORSFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifier;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestMirrorFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestRedirectFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteTimeouts;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPURLRewriteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.LocalObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SessionPersistence;
import io.portico.controller.gateway.RouteFilter.Cors;
import io.portico.controller.gateway.RouteFilter.ExtensionRef;
import io.portico.controller.gateway.RouteFilter.Header;
import io.portico.controller.gateway.RouteFilter.HeaderModifier;
import io.portico.controller.gateway.RouteFilter.HeaderTarget;
import io.portico.controller.gateway.RouteFilter.PathModifier;
import io.portico.controller.gateway.RouteFilter.RequestMirror;
import io.portico.controller.gateway.RouteFilter.RequestRedirect;
import io.portico.controller.gateway.RouteFilter.UrlRewrite;
import io.portico.controller.gateway.RouteMatch.GrpcMatch;
import io.portico.controller.gateway.RouteMatch.HttpMatch;
import io.portico.controller.gateway.RouteMatch.ValueMatch;
import io.portico.controller.gateway.RouteMatch.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/** Reads HTTPRoutes and GRPCRoutes: the CRDs' defaults, after their validation. */
final class RouteReader {

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);
  private static final String REQUEST_HEADER_MODIFIER = "RequestHeaderModifier";
  private static final String RESPONSE_HEADER_MODIFIER = "ResponseHeaderModifier";
  private static final String REQUEST_REDIRECT = "RequestRedirect";
  private static final String URL_REWRITE = "URLRewrite";
  private static final String REQUEST_MIRROR = "RequestMirror";
  private static final String EXTENSION_REF = "ExtensionRef";
  private static final String CORS = "CORS";
  private static final Set<String> HTTP_FILTERS =
      Set.of(
          REQUEST_HEADER_MODIFIER,
          RESPONSE_HEADER_MODIFIER,
          REQUEST_REDIRECT,
          URL_REWRITE,
          REQUEST_MIRROR,
          EXTENSION_REF,
          CORS);
  private static final Set<String> GRPC_FILTERS =
      Set.of(REQUEST_HEADER_MODIFIER, RESPONSE_HEADER_MODIFIER, REQUEST_MIRROR, EXTENSION_REF);
  // Filter types that may appear once per list; RequestMirror and ExtensionRef may repeat.
  private static final Set<String> UNIQUE_FILTERS =
      Set.of(
          REQUEST_HEADER_MODIFIER, RESPONSE_HEADER_MODIFIER, REQUEST_REDIRECT, URL_REWRITE, CORS);

  private RouteReader() {}

  static Read<RouteView> httpRoute(HTTPRoute route) {
    FieldErrors errors = new FieldErrors();
    var spec = route.getSpec();
    if (spec == null) {
      errors.required("spec");
      return Read.of(errors, () -> null);
    }
    List<Hostname> hostnames = hostnames(spec.getHostnames(), errors);
    List<ParentRef> parentRefs = parentRefs(spec.getParentRefs(), errors);
    List<HTTPRouteRule> written = Lists.of(spec.getRules());
    List<RouteRule> rules =
        rules(
            written,
            HTTPRouteRule::getName,
            HTTPRouteRule::getMatches,
            (field, rule) -> httpRule(field, rule, errors),
            errors);
    if (written.isEmpty()) {
      rules.add(
          new RouteRule(
              Optional.empty(),
              List.of(HttpMatch.DEFAULT),
              List.of(),
              List.of(),
              RouteTimeouts.NONE,
              Optional.empty()));
    }
    return Read.of(
        errors,
        () ->
            new RouteView(
                ObjectFacts.of(route), GroupKind.HTTP_ROUTE, hostnames, parentRefs, rules));
  }

  static Read<RouteView> grpcRoute(GRPCRoute route) {
    FieldErrors errors = new FieldErrors();
    var spec = route.getSpec();
    if (spec == null) {
      errors.required("spec");
      return Read.of(errors, () -> null);
    }
    List<Hostname> hostnames = hostnames(spec.getHostnames(), errors);
    List<ParentRef> parentRefs = parentRefs(spec.getParentRefs(), errors);
    List<RouteRule> rules =
        rules(
            Lists.of(spec.getRules()),
            GRPCRouteRule::getName,
            GRPCRouteRule::getMatches,
            (field, rule) -> grpcRule(field, rule, errors),
            errors);
    return Read.of(
        errors,
        () ->
            new RouteView(
                ObjectFacts.of(route), GroupKind.GRPC_ROUTE, hostnames, parentRefs, rules));
  }

  /** Reads spec.rules of either route kind: distinct rule names, at most 128 matches in all. */
  private static <T> List<RouteRule> rules(
      List<T> written,
      Function<T, String> name,
      Function<T, List<?>> matches,
      BiFunction<String, T, RouteRule> read,
      FieldErrors errors) {
    errors.size("spec.rules", written, 0, 16);
    List<RouteRule> out = new ArrayList<>();
    int totalMatches = 0;
    Set<String> names = new HashSet<>();
    for (int i = 0; i < written.size(); i++) {
      String field = "spec.rules[" + i + "]";
      T rule = written.get(i);
      totalMatches += Lists.of(matches.apply(rule)).size();
      ruleName(field, name.apply(rule), names, errors);
      out.add(read.apply(field, rule));
    }
    if (totalMatches > 128) {
      errors.invalid("spec.rules[*].matches", totalMatches + " matches", "at most 128 in all");
    }
    return out;
  }

  private static void ruleName(String field, String name, Set<String> names, FieldErrors errors) {
    if (errors.optionalText(field + ".name", name, Formats.NAME, 1, 253, "a rule name")
        && name != null
        && !names.add(name)) {
      errors.invalid(field + ".name", name, "a name no other rule has");
    }
  }

  private static List<Hostname> hostnames(List<String> written, FieldErrors errors) {
    List<String> hostnames = Lists.of(written);
    errors.size("spec.hostnames", hostnames, 0, 16);
    List<Hostname> out = new ArrayList<>();
    for (int i = 0; i < hostnames.size(); i++) {
      if (errors.text(
          "spec.hostnames[" + i + "]", hostnames.get(i), Formats.HOSTNAME, 1, 253, "a hostname")) {
        out.add(Hostname.of(hostnames.get(i)));
      }
    }
    return out;
  }

  private static List<ParentRef> parentRefs(List<ParentReference> written, FieldErrors errors) {
    List<ParentReference> refs = Lists.of(written);
    errors.size("spec.parentRefs", refs, 0, 32);
    List<ParentRef> out = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      String field = "spec.parentRefs[" + i + "]";
      ParentReference ref = refs.get(i);
      String group = ref.getGroup() == null ? GatewayApi.GROUP : ref.getGroup();
      String kind = ref.getKind() == null ? GatewayApi.GATEWAY : ref.getKind();
      boolean ok = errors.text(field + ".group", group, Formats.GROUP, 0, 253, "an API group");
      ok &= errors.text(field + ".kind", kind, Formats.KIND, 1, 63, "a kind");
      ok &= errors.text(field + ".name", ref.getName(), null, 1, 253, "a name");
      ok &=
          errors.optionalText(
              field + ".namespace", ref.getNamespace(), Formats.NAMESPACE, 1, 63, "a namespace");
      ok &=
          errors.optionalText(
              field + ".sectionName", ref.getSectionName(), Formats.NAME, 1, 253, "a section name");
      ok &= errors.range(field + ".port", ref.getPort(), 1, 65535);
      if (ok) {
        out.add(
            new ParentRef(
                group,
                kind,
                Optional.ofNullable(ref.getNamespace()),
                ref.getName(),
                Optional.ofNullable(ref.getSectionName()),
                Optional.ofNullable(ref.getPort())));
      }
    }
    // The same parent twice: each reference must name a distinct section.
    Map<String, List<ParentRef>> byParent = new HashMap<>();
    for (ParentRef ref : out) {
      String parent =
          ref.group() + "/" + ref.kind() + "/" + ref.namespace().orElse("") + "/" + ref.name();
      byParent.computeIfAbsent(parent, p -> new ArrayList<>()).add(ref);
    }
    for (List<ParentRef> same : byParent.values()) {
      if (same.size() < 2) {
        continue;
      }
      Set<String> sections = new HashSet<>();
      for (ParentRef ref : same) {
        if (ref.sectionName().isEmpty() || !sections.add(ref.sectionName().get())) {
          errors.add(
              "spec.parentRefs",
              ref
                  + " is referenced more than once (expected: every reference to one parent with a"
                  + " distinct sectionName)");
          break;
        }
      }
    }
    return out;
  }

  private static RouteRule httpRule(String field, HTTPRouteRule rule, FieldErrors errors) {
    List<HTTPRouteMatch> written = Lists.of(rule.getMatches());
    errors.size(field + ".matches", written, 0, 64);
    List<RouteMatch> matches = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      matches.add(httpMatch(field + ".matches[" + i + "]", written.get(i), errors));
    }
    if (matches.isEmpty()) {
      matches.add(HttpMatch.DEFAULT);
    }
    List<HTTPBackendRef> backends = Lists.of(rule.getBackendRefs());
    List<RouteFilter> filters =
        httpFilters(field + ".filters", Lists.of(rule.getFilters()), matches, errors);
    if (!backends.isEmpty() && filters.stream().anyMatch(f -> f instanceof RequestRedirect)) {
      errors.add(field, "a RequestRedirect filter and backendRefs (expected: one of them)");
    }
    List<BackendRefView> backendRefs =
        backendRefs(
            field + ".backendRefs",
            backends,
            ref ->
                new WrittenBackend(
                    ref.getGroup(),
                    ref.getKind(),
                    ref.getName(),
                    ref.getNamespace(),
                    ref.getPort(),
                    ref.getWeight()),
            (refField, ref) -> httpFilters(refField, Lists.of(ref.getFilters()), matches, errors),
            errors);
    return new RouteRule(
        Optional.ofNullable(rule.getName()),
        matches,
        filters,
        backendRefs,
        timeouts(field + ".timeouts", rule.getTimeouts(), errors),
        session(field + ".sessionPersistence", rule.getSessionPersistence(), errors));
  }

  /**
   * A rule's {@code sessionPersistence}, checked as the experimental CRD's validation would: the
   * enums, {@code sessionName} at most 128 characters, {@code cookieConfig} only with type {@code
   * Cookie}, and {@code absoluteTimeout} required with lifetime {@code Permanent}.
   */
  private static Optional<RouteSession> session(
      String field, @Nullable SessionPersistence written, FieldErrors errors) {
    if (written == null) {
      return Optional.empty();
    }
    String typeText = written.getType() == null ? "Cookie" : written.getType();
    RouteSession.Type type =
        switch (typeText) {
          case "Cookie" -> RouteSession.Type.COOKIE;
          case "Header" -> RouteSession.Type.HEADER;
          default -> {
            errors.invalid(field + ".type", typeText, "Cookie or Header");
            yield RouteSession.Type.COOKIE;
          }
        };
    CookieConfig cookie = written.getCookieConfig();
    String lifetimeText =
        cookie == null || cookie.getLifetimeType() == null ? "Session" : cookie.getLifetimeType();
    RouteSession.Lifetime lifetime =
        switch (lifetimeText) {
          case "Session" -> RouteSession.Lifetime.SESSION;
          case "Permanent" -> RouteSession.Lifetime.PERMANENT;
          default -> {
            errors.invalid(
                field + ".cookieConfig.lifetimeType", lifetimeText, "Permanent or Session");
            yield RouteSession.Lifetime.SESSION;
          }
        };
    if (cookie != null && type != RouteSession.Type.COOKIE) {
      errors.add(field + ".cookieConfig", "set with type " + typeText + " (expected: type Cookie)");
    }
    errors.optionalText(
        field + ".sessionName", written.getSessionName(), null, 0, 128, "a session name");
    Optional<Duration> absolute =
        duration(field + ".absoluteTimeout", written.getAbsoluteTimeout(), errors);
    Optional<Duration> idle = duration(field + ".idleTimeout", written.getIdleTimeout(), errors);
    if (lifetime == RouteSession.Lifetime.PERMANENT && written.getAbsoluteTimeout() == null) {
      errors.add(
          field + ".absoluteTimeout", "missing (expected: a duration with lifetimeType Permanent)");
    }
    return Optional.of(
        new RouteSession(
            Optional.ofNullable(written.getSessionName()), absolute, idle, type, lifetime));
  }

  private static HttpMatch httpMatch(String field, HTTPRouteMatch match, FieldErrors errors) {
    PathMatch path = PathMatch.DEFAULT;
    HTTPPathMatch written = match.getPath();
    if (written != null) {
      String type = written.getType() == null ? "PathPrefix" : written.getType();
      String value = written.getValue() == null ? "/" : written.getValue();
      errors.optionalText(field + ".path.value", value, null, 0, 1024, "a path");
      switch (type) {
        case "Exact", "PathPrefix" -> {
          if (!value.startsWith("/")) {
            errors.invalid(field + ".path.value", value, "a path starting with /");
          } else if (!Formats.isCleanPath(value)) {
            errors.invalid(
                field + ".path.value",
                value,
                "URI path characters without //, /./, /../, %2f, %2F or #");
          }
          path =
              new PathMatch(
                  type.equals("Exact") ? PathMatch.Type.EXACT : PathMatch.Type.PATH_PREFIX, value);
        }
        case "RegularExpression" -> path = new PathMatch(PathMatch.Type.REGULAR_EXPRESSION, value);
        default ->
            errors.invalid(field + ".path.type", type, "Exact, PathPrefix or RegularExpression");
      }
    }
    List<ValueMatch> headers =
        valueMatches(
            field + ".headers",
            Lists.of(match.getHeaders()),
            HTTPHeaderMatch::getType,
            HTTPHeaderMatch::getName,
            HTTPHeaderMatch::getValue,
            4096,
            true,
            errors);
    List<ValueMatch> query =
        valueMatches(
            field + ".queryParams",
            Lists.of(match.getQueryParams()),
            HTTPQueryParamMatch::getType,
            HTTPQueryParamMatch::getName,
            HTTPQueryParamMatch::getValue,
            1024,
            false,
            errors);
    String method = match.getMethod();
    if (method != null && !METHODS.contains(method)) {
      errors.invalid(field + ".method", method, "one of " + String.join(", ", sorted(METHODS)));
    }
    return new HttpMatch(path, headers, query, Optional.ofNullable(method));
  }

  /**
   * Reads header or query parameter matches, HTTP's and gRPC's alike; no two may share a name
   * (header names compared ignoring case).
   */
  private static <T> List<ValueMatch> valueMatches(
      String field,
      List<T> written,
      Function<T, String> type,
      Function<T, String> name,
      Function<T, String> value,
      int maxValue,
      boolean ignoreCase,
      FieldErrors errors) {
    errors.size(field, written, 0, 16);
    List<ValueMatch> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < written.size(); i++) {
      T entry = written.get(i);
      String entryField = field + "[" + i + "]";
      ValueMatch read =
          valueMatch(
              entryField,
              type.apply(entry),
              name.apply(entry),
              value.apply(entry),
              maxValue,
              errors);
      if (read == null) {
        continue;
      }
      String key = ignoreCase ? read.name().toLowerCase(Locale.ROOT) : read.name();
      if (names.add(key)) {
        out.add(read);
      } else {
        errors.invalid(entryField + ".name", read.name(), "a name no other entry has");
      }
    }
    return out;
  }

  private static @Nullable ValueMatch valueMatch(
      String field, String type, String name, String value, int maxValue, FieldErrors errors) {
    String matchType = type == null ? "Exact" : type;
    ValueType valueType =
        switch (matchType) {
          case "Exact" -> ValueType.EXACT;
          case "RegularExpression" -> ValueType.REGULAR_EXPRESSION;
          default -> null;
        };
    boolean ok = valueType != null;
    if (!ok) {
      errors.invalid(field + ".type", matchType, "Exact or RegularExpression");
    }
    ok &= errors.text(field + ".name", name, Formats.TOKEN, 1, 256, "a header or parameter name");
    ok &= errors.text(field + ".value", value, null, 1, maxValue, "a value");
    return ok && valueType != null ? new ValueMatch(valueType, name, value) : null;
  }

  private static List<RouteFilter> httpFilters(
      String field, List<HTTPRouteFilter> written, List<RouteMatch> matches, FieldErrors errors) {
    errors.size(field, written, 0, 16);
    List<RouteFilter> filters = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < written.size(); i++) {
      String filterField = field + "[" + i + "]";
      HTTPRouteFilter filter = written.get(i);
      String type = filter.getType();
      if (!filterType(filterField, type, HTTP_FILTERS, seen, errors)) {
        continue;
      }
      Map<String, Object> fields = new HashMap<>();
      putIfSet(fields, REQUEST_HEADER_MODIFIER, filter.getRequestHeaderModifier());
      putIfSet(fields, RESPONSE_HEADER_MODIFIER, filter.getResponseHeaderModifier());
      putIfSet(fields, REQUEST_REDIRECT, filter.getRequestRedirect());
      putIfSet(fields, URL_REWRITE, filter.getUrlRewrite());
      putIfSet(fields, REQUEST_MIRROR, filter.getRequestMirror());
      putIfSet(fields, EXTENSION_REF, filter.getExtensionRef());
      putIfSet(fields, CORS, filter.getCors());
      if (filter.getExternalAuth() != null) {
        fields.put("ExternalAuth", filter.getExternalAuth());
      }
      if (!unionHolds(filterField, type, fields, errors)) {
        continue;
      }
      RouteFilter read =
          switch (type) {
            case REQUEST_HEADER_MODIFIER ->
                headerModifier(
                    filterField + ".requestHeaderModifier",
                    HeaderTarget.REQUEST,
                    filter.getRequestHeaderModifier(),
                    errors);
            case RESPONSE_HEADER_MODIFIER ->
                headerModifier(
                    filterField + ".responseHeaderModifier",
                    HeaderTarget.RESPONSE,
                    filter.getResponseHeaderModifier(),
                    errors);
            case REQUEST_REDIRECT ->
                redirect(
                    filterField + ".requestRedirect", filter.getRequestRedirect(), matches, errors);
            case URL_REWRITE ->
                rewrite(filterField + ".urlRewrite", filter.getUrlRewrite(), matches, errors);
            case REQUEST_MIRROR ->
                mirror(filterField + ".requestMirror", filter.getRequestMirror(), errors);
            case EXTENSION_REF ->
                extensionRef(filterField + ".extensionRef", filter.getExtensionRef(), errors);
            default -> cors(filterField + ".cors", filter.getCors(), errors);
          };
      if (read != null) {
        filters.add(read);
      }
    }
    if (seen.contains(REQUEST_REDIRECT) && seen.contains(URL_REWRITE)) {
      errors.add(field, "RequestRedirect and URLRewrite together (expected: at most one of them)");
    }
    return filters;
  }

  private static List<RouteFilter> grpcFilters(
      String field, List<GRPCRouteFilter> written, FieldErrors errors) {
    errors.size(field, written, 0, 16);
    List<RouteFilter> filters = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < written.size(); i++) {
      String filterField = field + "[" + i + "]";
      GRPCRouteFilter filter = written.get(i);
      String type = filter.getType();
      if (!filterType(filterField, type, GRPC_FILTERS, seen, errors)) {
        continue;
      }
      Map<String, Object> fields = new HashMap<>();
      putIfSet(fields, REQUEST_HEADER_MODIFIER, filter.getRequestHeaderModifier());
      putIfSet(fields, RESPONSE_HEADER_MODIFIER, filter.getResponseHeaderModifier());
      putIfSet(fields, REQUEST_MIRROR, filter.getRequestMirror());
      putIfSet(fields, EXTENSION_REF, filter.getExtensionRef());
      if (!unionHolds(filterField, type, fields, errors)) {
        continue;
      }
      RouteFilter read =
          switch (type) {
            case REQUEST_HEADER_MODIFIER ->
                headerModifier(
                    filterField + ".requestHeaderModifier",
                    HeaderTarget.REQUEST,
                    filter.getRequestHeaderModifier(),
                    errors);
            case RESPONSE_HEADER_MODIFIER ->
                headerModifier(
                    filterField + ".responseHeaderModifier",
                    HeaderTarget.RESPONSE,
                    filter.getResponseHeaderModifier(),
                    errors);
            case REQUEST_MIRROR ->
                mirror(filterField + ".requestMirror", filter.getRequestMirror(), errors);
            default ->
                extensionRef(filterField + ".extensionRef", filter.getExtensionRef(), errors);
          };
      if (read != null) {
        filters.add(read);
      }
    }
    return filters;
  }

  /**
   * Checks a filter's type is one {@code known} and, for types that may appear once, that {@code
   * seen} has not had it; false when the filter cannot be read at all.
   */
  private static boolean filterType(
      String field, String type, Set<String> known, Set<String> seen, FieldErrors errors) {
    if (type == null || !known.contains(type)) {
      errors.invalid(field + ".type", type, "one of " + String.join(", ", sorted(known)));
      return false;
    }
    if (UNIQUE_FILTERS.contains(type) && !seen.add(type)) {
      errors.invalid(field + ".type", type, "at most one " + type + " filter in a list");
    }
    return true;
  }

  private static void putIfSet(Map<String, Object> fields, String type, Object value) {
    if (value != null) {
      fields.put(type, value);
    }
  }

  /** A filter carries the field of its type and no other. */
  private static boolean unionHolds(
      String field, String type, Map<String, Object> fields, FieldErrors errors) {
    if (!fields.containsKey(type)) {
      errors.add(field, "type " + type + " without its field (expected: " + fieldName(type) + ")");
      return false;
    }
    if (fields.size() > 1) {
      List<String> others = new ArrayList<>(fields.keySet());
      others.remove(type);
      errors.add(
          field,
          "type "
              + type
              + " with the fields of "
              + String.join(", ", sorted(others))
              + " (expected: only "
              + fieldName(type)
              + ")");
      return false;
    }
    return true;
  }

  private static String fieldName(String type) {
    return switch (type) {
      case URL_REWRITE -> "urlRewrite";
      case CORS -> "cors";
      default -> Character.toLowerCase(type.charAt(0)) + type.substring(1);
    };
  }

  private static HeaderModifier headerModifier(
      String field, HeaderTarget target, HTTPHeaderFilter filter, FieldErrors errors) {
    Set<String> names = new HashSet<>();
    List<Header> set = headers(field + ".set", Lists.of(filter.getSet()), names, errors);
    List<Header> add = headers(field + ".add", Lists.of(filter.getAdd()), names, errors);
    List<String> remove = Lists.of(filter.getRemove());
    errors.size(field + ".remove", remove, 0, 16);
    for (int i = 0; i < remove.size(); i++) {
      String name = remove.get(i);
      if (errors.text(field + ".remove[" + i + "]", name, Formats.TOKEN, 1, 256, "a header name")
          && !names.add(name.toLowerCase(Locale.ROOT))) {
        errors.invalid(
            field + ".remove[" + i + "]", name, "a header no other action of the filter names");
      }
    }
    return new HeaderModifier(target, set, add, remove);
  }

  private static List<Header> headers(
      String field, List<HTTPHeader> written, Set<String> names, FieldErrors errors) {
    errors.size(field, written, 0, 16);
    List<Header> out = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      HTTPHeader header = written.get(i);
      boolean ok =
          errors.text(
              field + "[" + i + "].name", header.getName(), Formats.TOKEN, 1, 256, "a header name");
      ok &= errors.text(field + "[" + i + "].value", header.getValue(), null, 1, 4096, "a value");
      if (ok && !names.add(header.getName().toLowerCase(Locale.ROOT))) {
        errors.invalid(
            field + "[" + i + "].name",
            header.getName(),
            "a header no other action of the filter names");
      } else if (ok) {
        out.add(new Header(header.getName(), header.getValue()));
      }
    }
    return out;
  }

  private static RequestRedirect redirect(
      String field,
      HTTPRequestRedirectFilter filter,
      List<RouteMatch> matches,
      FieldErrors errors) {
    String scheme = filter.getScheme();
    if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
      errors.invalid(field + ".scheme", scheme, "http or https");
    }
    errors.optionalText(
        field + ".hostname",
        filter.getHostname(),
        Formats.PRECISE_HOSTNAME,
        1,
        253,
        "a hostname without wildcard");
    errors.range(field + ".port", filter.getPort(), 1, 65535);
    int status = filter.getStatusCode() == null ? 302 : filter.getStatusCode();
    if (!REDIRECT_CODES.contains(status)) {
      errors.invalid(field + ".statusCode", status, "301, 302, 303, 307 or 308");
    }
    Optional<PathModifier> path = pathModifier(field + ".path", filter.getPath(), matches, errors);
    return new RequestRedirect(
        Optional.ofNullable(scheme),
        Optional.ofNullable(filter.getHostname()),
        path,
        Optional.ofNullable(filter.getPort()),
        status);
  }

  private static UrlRewrite rewrite(
      String field, HTTPURLRewriteFilter filter, List<RouteMatch> matches, FieldErrors errors) {
    errors.optionalText(
        field + ".hostname",
        filter.getHostname(),
        Formats.PRECISE_HOSTNAME,
        1,
        253,
        "a hostname without wildcard");
    Optional<PathModifier> path = pathModifier(field + ".path", filter.getPath(), matches, errors);
    return new UrlRewrite(Optional.ofNullable(filter.getHostname()), path);
  }

  private static Optional<PathModifier> pathModifier(
      String field, HTTPPathModifier modifier, List<RouteMatch> matches, FieldErrors errors) {
    if (modifier == null) {
      return Optional.empty();
    }
    String type = modifier.getType();
    String full = modifier.getReplaceFullPath();
    String prefix = modifier.getReplacePrefixMatch();
    errors.optionalText(field + ".replaceFullPath", full, null, 0, 1024, "a path");
    errors.optionalText(field + ".replacePrefixMatch", prefix, null, 0, 1024, "a path");
    if ("ReplaceFullPath".equals(type)) {
      if (full == null || prefix != null) {
        errors.add(
            field, "type ReplaceFullPath (expected: replaceFullPath and no replacePrefixMatch)");
        return Optional.empty();
      }
      return Optional.of(new PathModifier(PathModifier.Kind.REPLACE_FULL_PATH, full));
    }
    if ("ReplacePrefixMatch".equals(type)) {
      if (prefix == null || full != null) {
        errors.add(
            field, "type ReplacePrefixMatch (expected: replacePrefixMatch and no replaceFullPath)");
        return Optional.empty();
      }
      if (matches.size() != 1
          || !(matches.get(0) instanceof HttpMatch only)
          || only.path().type() != PathMatch.Type.PATH_PREFIX) {
        errors.add(
            field,
            "ReplacePrefixMatch in a rule with "
                + matches.size()
                + " matches (expected: exactly one match, of type PathPrefix)");
        return Optional.empty();
      }
      return Optional.of(new PathModifier(PathModifier.Kind.REPLACE_PREFIX_MATCH, prefix));
    }
    errors.invalid(field + ".type", type, "ReplaceFullPath or ReplacePrefixMatch");
    return Optional.empty();
  }

  private static @Nullable RequestMirror mirror(
      String field, HTTPRequestMirrorFilter filter, FieldErrors errors) {
    BackendObjectReference ref = filter.getBackendRef();
    if (ref == null) {
      errors.required(field + ".backendRef");
      return null;
    }
    BackendRefView backend =
        backendRef(
            field + ".backendRef",
            ref.getGroup(),
            ref.getKind(),
            ref.getName(),
            ref.getNamespace(),
            ref.getPort(),
            null,
            List.of(),
            errors);
    int numerator = 100;
    int denominator = 100;
    Integer percent = filter.getPercent();
    Fraction fraction = filter.getFraction();
    if (percent != null && fraction != null) {
      errors.add(field, "percent and fraction (expected: at most one of them)");
    } else if (percent != null) {
      errors.range(field + ".percent", percent, 0, 100);
      numerator = percent;
    } else if (fraction != null) {
      denominator = fraction.getDenominator() == null ? 100 : fraction.getDenominator();
      if (fraction.getNumerator() == null) {
        errors.required(field + ".fraction.numerator");
      } else {
        numerator = fraction.getNumerator();
      }
      errors.range(field + ".fraction.numerator", numerator, 0, Integer.MAX_VALUE);
      errors.range(field + ".fraction.denominator", denominator, 1, Integer.MAX_VALUE);
      if (numerator > denominator) {
        errors.invalid(
            field + ".fraction", numerator + "/" + denominator, "numerator <= denominator");
      }
    }
    return new RequestMirror(backend.ref(), backend.port(), numerator, denominator);
  }

  private static @Nullable ExtensionRef extensionRef(
      String field, LocalObjectReference ref, FieldErrors errors) {
    boolean ok =
        errors.text(field + ".group", ref.getGroup(), Formats.GROUP, 0, 253, "an API group");
    ok &= errors.text(field + ".kind", ref.getKind(), Formats.KIND, 1, 63, "a kind");
    ok &= errors.text(field + ".name", ref.getName(), null, 1, 253, "a name");
    return ok ? new ExtensionRef(ref.getGroup(), ref.getKind(), ref.getName()) : null;
  }

  private static Cors cors(String field, HTTPCORSFilter cors, FieldErrors errors) {
    List<String> origins = Lists.of(cors.getAllowOrigins());
    errors.size(field + ".allowOrigins", origins, 0, 64);
    for (int i = 0; i < origins.size(); i++) {
      errors.text(
          field + ".allowOrigins[" + i + "]",
          origins.get(i),
          Formats.ORIGIN,
          1,
          253,
          "* or http(s)://host[:port]");
    }
    starAlone(field + ".allowOrigins", origins, errors);
    List<String> methods = Lists.of(cors.getAllowMethods());
    errors.size(field + ".allowMethods", methods, 0, 9);
    for (int i = 0; i < methods.size(); i++) {
      String method = methods.get(i);
      if (!method.equals("*") && !METHODS.contains(method)) {
        errors.invalid(field + ".allowMethods[" + i + "]", method, "* or an HTTP method");
      }
    }
    starAlone(field + ".allowMethods", methods, errors);
    List<String> allowHeaders = tokens(field + ".allowHeaders", cors.getAllowHeaders(), errors);
    starAlone(field + ".allowHeaders", allowHeaders, errors);
    List<String> exposeHeaders = tokens(field + ".exposeHeaders", cors.getExposeHeaders(), errors);
    int maxAge = cors.getMaxAge() == null ? 5 : cors.getMaxAge();
    errors.range(field + ".maxAge", maxAge, 1, Integer.MAX_VALUE);
    return new Cors(
        origins,
        methods,
        allowHeaders,
        exposeHeaders,
        Boolean.TRUE.equals(cors.getAllowCredentials()),
        maxAge);
  }

  private static List<String> tokens(String field, List<String> written, FieldErrors errors) {
    List<String> tokens = Lists.of(written);
    errors.size(field, tokens, 0, 64);
    for (int i = 0; i < tokens.size(); i++) {
      errors.text(field + "[" + i + "]", tokens.get(i), Formats.TOKEN, 1, 256, "a header name");
    }
    return tokens;
  }

  private static void starAlone(String field, List<String> values, FieldErrors errors) {
    if (values.size() > 1 && values.contains("*")) {
      errors.add(field, "* among other values (expected: * alone)");
    }
  }

  /** The fields HTTPBackendRef and GRPCBackendRef share: fabric8 gives them no common type. */
  private record WrittenBackend(
      @Nullable String group,
      @Nullable String kind,
      @Nullable String name,
      @Nullable String namespace,
      @Nullable Integer port,
      @Nullable Integer weight) {}

  /** Reads a rule's backendRefs, each with its own filters (read by {@code filters}). */
  private static <T> List<BackendRefView> backendRefs(
      String field,
      List<T> written,
      Function<T, WrittenBackend> backend,
      BiFunction<String, T, List<RouteFilter>> filters,
      FieldErrors errors) {
    errors.size(field, written, 0, 16);
    List<BackendRefView> out = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      String refField = field + "[" + i + "]";
      T ref = written.get(i);
      List<RouteFilter> own = filters.apply(refField + ".filters", ref);
      WrittenBackend read = backend.apply(ref);
      out.add(
          backendRef(
              refField,
              read.group(),
              read.kind(),
              read.name(),
              read.namespace(),
              read.port(),
              read.weight(),
              own,
              errors));
    }
    return out;
  }

  private static BackendRefView backendRef(
      String field,
      @Nullable String writtenGroup,
      @Nullable String writtenKind,
      @Nullable String name,
      @Nullable String namespace,
      @Nullable Integer port,
      @Nullable Integer weight,
      List<RouteFilter> filters,
      FieldErrors errors) {
    String group = writtenGroup == null ? GatewayApi.CORE_GROUP : writtenGroup;
    String kind = writtenKind == null ? GatewayApi.SERVICE : writtenKind;
    errors.text(field + ".group", group, Formats.GROUP, 0, 253, "an API group");
    errors.text(field + ".kind", kind, Formats.KIND, 1, 63, "a kind");
    errors.text(field + ".name", name, null, 1, 253, "a name");
    errors.optionalText(field + ".namespace", namespace, Formats.NAMESPACE, 1, 63, "a namespace");
    errors.range(field + ".port", port, 1, 65535);
    if (port == null && group.isEmpty() && kind.equals(GatewayApi.SERVICE)) {
      errors.add(field + ".port", "missing (expected: a port for a Service)");
    }
    int chosenWeight = weight == null ? 1 : weight;
    errors.range(field + ".weight", chosenWeight, 0, 1_000_000);
    return new BackendRefView(
        new TargetRef(group, kind, name == null ? "" : name, Optional.ofNullable(namespace)),
        Optional.ofNullable(port),
        chosenWeight,
        filters);
  }

  private static RouteTimeouts timeouts(
      String field, HTTPRouteTimeouts timeouts, FieldErrors errors) {
    if (timeouts == null) {
      return RouteTimeouts.NONE;
    }
    Optional<Duration> request = duration(field + ".request", timeouts.getRequest(), errors);
    Optional<Duration> backend =
        duration(field + ".backendRequest", timeouts.getBackendRequest(), errors);
    if (request.isPresent()
        && backend.isPresent()
        && !request.get().isZero()
        && backend.get().compareTo(request.get()) > 0) {
      errors.invalid(
          field + ".backendRequest",
          timeouts.getBackendRequest(),
          "at most request (" + timeouts.getRequest() + ") unless request is 0s");
    }
    return new RouteTimeouts(request, backend);
  }

  /** Parses a Gateway API duration ({@code 1h30m}, {@code 500ms}). */
  static Optional<Duration> duration(String field, String text, FieldErrors errors) {
    if (text == null) {
      return Optional.empty();
    }
    if (!Formats.DURATION.matcher(text).matches()) {
      errors.invalid(field, text, "a duration such as 500ms or 1h30m");
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher part = Formats.DURATION_PART.matcher(text);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total =
          total.plus(
              switch (part.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMillis(amount);
              });
    }
    return Optional.of(total);
  }

  private static RouteRule grpcRule(String field, GRPCRouteRule rule, FieldErrors errors) {
    List<GRPCRouteMatch> written = Lists.of(rule.getMatches());
    errors.size(field + ".matches", written, 0, 64);
    List<RouteMatch> matches = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      matches.add(grpcMatch(field + ".matches[" + i + "]", written.get(i), errors));
    }
    List<RouteFilter> filters =
        grpcFilters(field + ".filters", Lists.of(rule.getFilters()), errors);
    List<GRPCBackendRef> backends = Lists.of(rule.getBackendRefs());
    List<BackendRefView> backendRefs =
        backendRefs(
            field + ".backendRefs",
            backends,
            ref ->
                new WrittenBackend(
                    ref.getGroup(),
                    ref.getKind(),
                    ref.getName(),
                    ref.getNamespace(),
                    ref.getPort(),
                    ref.getWeight()),
            (refField, ref) -> grpcFilters(refField, Lists.of(ref.getFilters()), errors),
            errors);
    return new RouteRule(
        Optional.ofNullable(rule.getName()),
        matches,
        filters,
        backendRefs,
        RouteTimeouts.NONE,
        session(field + ".sessionPersistence", rule.getSessionPersistence(), errors));
  }

  private static GrpcMatch grpcMatch(String field, GRPCRouteMatch match, FieldErrors errors) {
    ValueType type = ValueType.EXACT;
    Optional<String> service = Optional.empty();
    Optional<String> method = Optional.empty();
    GRPCMethodMatch written = match.getMethod();
    if (written != null) {
      String writtenType = written.getType() == null ? "Exact" : written.getType();
      switch (writtenType) {
        case "Exact" -> type = ValueType.EXACT;
        case "RegularExpression" -> type = ValueType.REGULAR_EXPRESSION;
        default ->
            errors.invalid(field + ".method.type", writtenType, "Exact or RegularExpression");
      }
      service = Optional.ofNullable(written.getService());
      method = Optional.ofNullable(written.getMethod());
      if (service.isEmpty() && method.isEmpty()) {
        errors.add(field + ".method", "neither service nor method (expected: at least one)");
      }
      boolean exact = type == ValueType.EXACT;
      errors.optionalText(
          field + ".method.service",
          written.getService(),
          exact ? Formats.GRPC_SERVICE : null,
          1,
          1024,
          "a gRPC service name");
      errors.optionalText(
          field + ".method.method",
          written.getMethod(),
          exact ? Formats.GRPC_METHOD : null,
          1,
          1024,
          "a gRPC method name");
    }
    List<ValueMatch> headers =
        valueMatches(
            field + ".headers",
            Lists.of(match.getHeaders()),
            GRPCHeaderMatch::getType,
            GRPCHeaderMatch::getName,
            GRPCHeaderMatch::getValue,
            4096,
            true,
            errors);
    return new GrpcMatch(type, service, method, headers);
  }

  private static List<String> sorted(Set<String> values) {
    return sorted(new ArrayList<>(values));
  }

  private static List<String> sorted(List<String> values) {
    List<String> copy = new ArrayList<>(values);
    copy.sort(null);
    return copy;
  }
}
