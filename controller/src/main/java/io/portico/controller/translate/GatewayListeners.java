package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.controller.gateway.GatewayRoutes;
import io.portico.controller.gateway.GatewayRoutes.BackendTarget;
import io.portico.controller.gateway.GatewayRoutes.ListenerRoutes;
import io.portico.controller.gateway.GatewayRoutes.PortRoutes;
import io.portico.controller.gateway.GatewayRoutes.RuleEntry;
import io.portico.controller.gateway.GatewayRoutes.WeightedBackend;
import io.portico.controller.gateway.GroupKind;
import io.portico.controller.gateway.Hostname;
import io.portico.controller.gateway.LocalPort;
import io.portico.controller.gateway.RouteFilter;
import io.portico.controller.gateway.RouteMatch;
import io.portico.controller.gateway.RouteMatch.GrpcMatch;
import io.portico.controller.gateway.RouteMatch.HttpMatch;
import io.portico.controller.gateway.RouteMatch.ValueMatch;
import io.portico.controller.gateway.RouteMatch.ValueType;
import io.portico.controller.gateway.RouteSession;
import io.portico.controller.gateway.RouteTimeouts;
import io.portico.controller.gateway.ServedListener;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.router.access.GatewayCorsPolicy;
import io.portico.router.balance.AffinityMode;
import io.portico.router.balance.BackendPolicy;
import io.portico.router.balance.CookieAffinity;
import io.portico.router.balance.LoadBalancing;
import io.portico.router.balance.SameSite;
import io.portico.router.policy.FixedAnswerPolicy;
import io.portico.router.policy.GatewayRedirectPolicy;
import io.portico.router.policy.HeaderChanges;
import io.portico.router.policy.MirrorPolicy;
import io.portico.router.policy.PathRewrite;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.RequestHeaderModifierPolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.ResponseHeaderModifierPolicy;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.UrlRewritePolicy;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.BackendProtocol;
import io.portico.router.route.BackendTls;
import io.portico.router.route.Canaries;
import io.portico.router.route.Endpoint;
import io.portico.router.route.GatewayRule;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.ListenerKey;
import io.portico.router.route.Mirror;
import io.portico.router.route.PathMatch;
import io.portico.router.route.RequestConditions;
import io.portico.router.route.RequestConditions.ValueCondition;
import io.portico.router.route.RequestDeadlines;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.UpstreamSettings;
import io.portico.router.route.WeightedRoute;
import io.portico.tls.CertificateSet;
import io.portico.tls.TlsKeyPair;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The Gateway API route model ({@link GatewayRoutes}) as the router serves it: one {@link
 * io.portico.router.route.ListenerRoutes} per local listener, each rule's backends resolved to
 * endpoints as Ingress backends are, and its filters as request policies ({@code RequestMirror} as
 * the route's mirror). A GRPCRoute's backends are called over HTTP/2 in clear text (h2c), as {@code
 * backend-protocol: GRPC} does. A backend the status calls unresolved, a rule that forwards nowhere
 * and an {@code ExtensionRef} filter answer 500, as the specification requires.
 */
final class GatewayListeners {

  private static final String NO_BACKEND =
      "Internal server error: no usable backend for this request.";
  private static final String UNSUPPORTED_FILTER =
      "Internal server error: this rule has a filter Portico does not support.";

  /** What a GRPCRoute's backends are called with: gRPC is HTTP/2, h2c to a Service port. */
  private static final UpstreamSettings GRPC =
      UpstreamSettings.of(
          UpstreamSettings.DEFAULT.withProtocol(BackendProtocol.GRPC, BackendTls.DEFAULT));

  /**
   * What the router serves for the Gateway API.
   *
   * @param listeners one entry per local listener with Gateway API rules
   * @param httpsNames the certificates the Gateway listeners on Portico's HTTPS listener add, by
   *     hostname, with their Secrets
   * @param httpsDefault the certificate of a hostname-less Gateway listener on Portico's HTTPS
   *     listener, which serves any name no other certificate covers; empty when there is none
   */
  record Result(
      List<io.portico.router.route.ListenerRoutes> listeners,
      Map<String, Certificate> httpsNames,
      Optional<Certificate> httpsDefault) {}

  /** A certificate with the Secret it came from. */
  record Certificate(ObjectKey secret, TlsKeyPair pair) {}

  private final BackendResolver resolver;
  private final SnapshotGatewayReferences references;
  private final TlsKeyPair defaultPair;
  private final Consumer<Finding> findings;

  /**
   * @param defaultPair the certificate a listener opened for HTTPS serves when none of its Gateway
   *     listeners is without a hostname
   */
  GatewayListeners(
      BackendResolver resolver,
      SnapshotGatewayReferences references,
      TlsKeyPair defaultPair,
      Consumer<Finding> findings) {
    this.resolver = resolver;
    this.references = references;
    this.defaultPair = defaultPair;
    this.findings = findings;
  }

  Result convert(GatewayRoutes routes) {
    List<io.portico.router.route.ListenerRoutes> listeners = new ArrayList<>();
    Map<String, Certificate> httpsNames = new TreeMap<>();
    Optional<Certificate> httpsDefault = Optional.empty();
    for (PortRoutes port : routes.ports()) {
      ListenerKey key = key(port.local());
      boolean tls = port.protocol().equals("HTTPS");
      Map<String, Certificate> names = new TreeMap<>();
      Optional<Certificate> anyName = Optional.empty();
      List<io.portico.router.route.ListenerRoutes.Group> groups = new ArrayList<>();
      for (ListenerRoutes group : port.listeners()) {
        String hostname = group.hostname().map(Hostname::value).orElse("");
        if (tls) {
          Optional<Certificate> certificate = certificate(group.listeners());
          if (certificate.isPresent()) {
            if (hostname.isEmpty()) {
              anyName = anyName.or(() -> certificate);
            } else {
              names.putIfAbsent(hostname, certificate.get());
            }
          }
        }
        List<GatewayRule> rules = new ArrayList<>();
        for (RuleEntry entry : group.entries()) {
          rules.add(rule(entry));
        }
        groups.add(new io.portico.router.route.ListenerRoutes.Group(hostname, rules));
      }
      CertificateSet certificates = null;
      if (tls && key.kind() == ListenerKey.Kind.OPENED) {
        CertificateSet.Builder set =
            CertificateSet.builder(anyName.map(Certificate::pair).orElse(defaultPair));
        names.forEach((name, certificate) -> set.add(name, certificate.pair()));
        certificates = set.build();
      } else if (tls) {
        httpsNames.putAll(names);
        httpsDefault = anyName;
      }
      listeners.add(new io.portico.router.route.ListenerRoutes(key, tls, certificates, groups));
    }
    return new Result(listeners, httpsNames, httpsDefault);
  }

  static ListenerKey key(LocalPort local) {
    if (local instanceof LocalPort.Opened opened) {
      return ListenerKey.opened(opened.port());
    }
    return local instanceof LocalPort.HttpsListener ? ListenerKey.HTTPS : ListenerKey.HTTP;
  }

  /** The first usable certificate of the first of these listeners that has one. */
  private Optional<Certificate> certificate(List<ServedListener> listeners) {
    for (ServedListener listener : listeners) {
      for (ObjectKey secret : listener.certificates()) {
        TlsKeyPair pair = references.pair(secret);
        if (pair != null) {
          return Optional.of(new Certificate(secret, pair));
        }
      }
    }
    return Optional.empty();
  }

  private GatewayRule rule(RuleEntry entry) {
    String hostname = entry.hostname().map(Hostname::value).orElse("");
    RequestConditions conditions = conditions(entry.match());
    RouteOrigin origin =
        new RouteOrigin(
            entry.origin().route().key().namespace(), entry.origin().route().key().name());
    HostnamePattern host = HostnamePattern.of(hostname);
    List<RequestPolicy> rulePolicies = policies(entry.filters(), entry);
    UpstreamSettings upstream =
        withTimeouts(
            entry.origin().kind().equals(GroupKind.GRPC_ROUTE) ? GRPC : UpstreamSettings.DEFAULT,
            entry.timeouts());
    List<WeightedRoute> backends = new ArrayList<>();
    boolean redirects =
        entry.filters().stream().anyMatch(f -> f instanceof RouteFilter.RequestRedirect);
    boolean forwards = entry.backends().stream().anyMatch(b -> b.weight() > 0);
    if (!forwards) {
      // No backend to forward to: a redirect answers, or 500.
      List<RequestPolicy> policies = new ArrayList<>(rulePolicies);
      if (!redirects) {
        policies.add(new FixedAnswerPolicy(500, NO_BACKEND));
      }
      Backend none = Backend.of(new BackendId(origin.namespace(), "-", "-"), List.of());
      backends.add(
          new WeightedRoute(
              1,
              route(host, conditions.path(), none, origin, policies, upstream, Optional.empty())));
    } else {
      for (WeightedBackend backend : entry.backends()) {
        List<RequestPolicy> policies = new ArrayList<>(rulePolicies);
        policies.addAll(policies(backend.filters(), entry));
        BackendId id =
            new BackendId(
                backend.ref().namespace().orElse(origin.namespace()),
                backend.ref().name(),
                backend.port().map(String::valueOf).orElse("-"));
        Backend resolved;
        if (backend.target() instanceof BackendTarget.ServicePort service) {
          BackendResolver.Resolution resolution =
              resolver.resolve(service.service(), String.valueOf(service.port()));
          resolved = resolution.backend();
          if (entry.session().isPresent()) {
            resolved =
                resolved.withPolicy(
                    BackendPolicy.of(
                        LoadBalancing.ROUND_ROBIN,
                        sessionCookie(entry.session().get(), entry, conditions.path())));
          }
          if (!resolution.ok()) {
            findings.accept(
                Finding.warning(
                    new ObjectRef(entry.origin().kind().kind(), entry.origin().route().key()),
                    requireNonNull(resolution.reason(), "reason: the resolution failed"),
                    entry.origin() + ": " + resolution.problem() + "; its requests get 503"));
          }
        } else {
          resolved = Backend.of(id, List.of());
          policies.add(new FixedAnswerPolicy(500, NO_BACKEND));
        }
        Optional<Mirror> mirror = backend.mirror().or(entry::mirror).flatMap(m -> mirror(m, entry));
        backends.add(
            new WeightedRoute(
                backend.weight(),
                route(host, conditions.path(), resolved, origin, policies, upstream, mirror)));
      }
    }
    return new GatewayRule(hostname, conditions, backends, entry.origin().toString());
  }

  /**
   * {@code settings} with the rule's {@code timeouts} as the data plane's limits: {@code request}
   * on the whole request, {@code backendRequest} on each attempt; unset or {@code 0s} for none. The
   * reader has refused a {@code backendRequest} longer than a non-zero {@code request}.
   */
  private static UpstreamSettings withTimeouts(UpstreamSettings settings, RouteTimeouts timeouts) {
    long request = timeouts.request().map(Duration::toMillis).orElse(0L);
    long attempt = timeouts.backendRequest().map(Duration::toMillis).orElse(0L);
    if (request == 0 && attempt == 0) {
      return settings;
    }
    return UpstreamSettings.of(settings.withDeadlines(new RequestDeadlines(request, attempt)));
  }

  /**
   * The cookie of a rule's {@code sessionPersistence} (type {@code Cookie}; what it cannot carry
   * refused the route before here): it names the endpoint, as the {@code persistent} affinity mode
   * of Ingresses does; its name is {@code sessionName}, else one made from the rule (the same on
   * every replica); its {@code Path} is the path the rule matches, as GEP-1619 asks, so that two
   * rules never share a session; {@code HttpOnly}, {@code Secure} over HTTPS, {@code SameSite=Lax}
   * (not {@code Strict}: a client arriving from another site's link would come without its cookie
   * and be given a new session); {@code Max-Age} the {@code absoluteTimeout} when the lifetime is
   * {@code Permanent}, else none (the cookie ends with the browser session).
   */
  static CookieAffinity sessionCookie(RouteSession session, RuleEntry entry, PathMatch path) {
    CookieAffinity.Builder cookie =
        CookieAffinity.builder()
            .mode(AffinityMode.PERSISTENT)
            .name(session.sessionName().orElseGet(() -> sessionName(entry.origin())))
            .path(cookiePath(path))
            .sameSite(SameSite.LAX);
    if (session.lifetime() == RouteSession.Lifetime.PERMANENT) {
      long millis = session.absoluteTimeout().orElseThrow().toMillis();
      cookie.maxAgeSeconds(Math.min(Integer.MAX_VALUE, Math.max(1, (millis + 999) / 1000)));
    }
    return cookie.build();
  }

  /** A cookie name of a rule without {@code sessionName}: its route's and its own, hashed. */
  private static String sessionName(GatewayRoutes.Origin origin) {
    String rule =
        origin.kind().kind()
            + "/"
            + origin.route().key().namespace()
            + "/"
            + origin.route().key().name()
            + "/"
            + origin.ruleName().orElse(String.valueOf(origin.rule()));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(rule.getBytes(StandardCharsets.UTF_8));
      return "portico-session-" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The {@code Path} of a session cookie: the rule's path; for a regular expression, its longest
   * literal prefix of whole segments ({@code /p1/p2/[a-z]+/p3} gives {@code /p1/p2}); {@code /}
   * when that is not a valid cookie path.
   */
  static String cookiePath(PathMatch path) {
    String value;
    if (path instanceof PathMatch.RegularExpression regex) {
      value = literalPrefix(regex.pattern().text());
    } else if (path instanceof PathMatch.Regex regex) {
      value = literalPrefix(regex.path());
    } else {
      value = path.path();
    }
    return CookieAffinity.isValidPath(value) ? value : "/";
  }

  private static String literalPrefix(String expression) {
    int end = 0;
    while (end < expression.length() && ".*+?()[]{}|^$\\".indexOf(expression.charAt(end)) < 0) {
      end++;
    }
    String literal = expression.substring(0, end);
    int slash = literal.lastIndexOf('/');
    return slash <= 0 ? "/" : literal.substring(0, slash);
  }

  private static Route route(
      HostnamePattern host,
      PathMatch path,
      Backend backend,
      RouteOrigin origin,
      List<RequestPolicy> policies,
      UpstreamSettings upstream,
      Optional<Mirror> mirror) {
    // Weights are the backendRefs' own (no canaries), and ingress-nginx's error pages never apply
    // to Gateway API routes.
    List<RequestPolicy> all = new ArrayList<>(policies);
    mirror.ifPresent(m -> all.add(m.copy()));
    return new Route(
        host,
        path,
        backend,
        origin,
        HttpsPolicy.NONE,
        RoutePolicies.of(all),
        Canaries.NONE,
        mirror,
        null,
        upstream);
  }

  /**
   * The mirror of a {@code RequestMirror} filter: its Service port resolved as any backend, each
   * copy with the client's path and query, the body, and the Service's name as its Host. Empty,
   * with a warning, when it cannot be used: the status says why (ResolvedRefs), or the Service is
   * an ExternalName one, whose name Portico does not hand to a resolver for copies.
   */
  private Optional<Mirror> mirror(BackendTarget target, RuleEntry entry) {
    ObjectRef subject = new ObjectRef(entry.origin().kind().kind(), entry.origin().route().key());
    if (!(target instanceof BackendTarget.ServicePort service)) {
      BackendTarget.Unusable unusable = (BackendTarget.Unusable) target;
      findings.accept(
          Finding.warning(
              subject,
              unusable.reason(),
              entry.origin()
                  + ": RequestMirror: "
                  + unusable.message()
                  + "; no request is mirrored"));
      return Optional.empty();
    }
    BackendResolver.Resolution resolution =
        resolver.resolve(service.service(), String.valueOf(service.port()));
    if (!resolution.ok()) {
      findings.accept(
          Finding.warning(
              subject,
              requireNonNull(resolution.reason(), "reason: the resolution failed"),
              entry.origin() + ": RequestMirror: " + resolution.problem()));
    }
    if (resolution.backend().endpoints().stream().anyMatch(Endpoint::external)) {
      findings.accept(
          Finding.warning(
              subject,
              "InvalidMirror",
              entry.origin()
                  + ": RequestMirror: "
                  + service
                  + " is an ExternalName Service (expected: a Service with endpoints); no request"
                  + " is mirrored"));
      return Optional.empty();
    }
    String host = service.service().name() + "." + service.service().namespace() + ".svc";
    return Optional.of(new Mirror(resolution.backend(), new MirrorPolicy("", true, host, true)));
  }

  private static RequestConditions conditions(RouteMatch match) {
    if (match instanceof HttpMatch http) {
      PathMatch path =
          switch (http.path().type()) {
            case EXACT -> PathMatch.exact(http.path().value());
            case PATH_PREFIX -> PathMatch.prefix(http.path().value());
            case REGULAR_EXPRESSION -> PathMatch.regularExpression(http.path().value());
          };
      return new RequestConditions(
          path,
          http.method().orElse(null),
          http.headers().stream().map(GatewayListeners::condition).toList(),
          http.queryParams().stream().map(GatewayListeners::condition).toList());
    }
    GrpcMatch grpc = (GrpcMatch) match;
    return new RequestConditions(
        grpcPath(grpc),
        null,
        grpc.headers().stream().map(GatewayListeners::condition).toList(),
        List.of());
  }

  /** A gRPC call's path is {@code /service/method}. */
  private static PathMatch grpcPath(GrpcMatch grpc) {
    if (grpc.type() == ValueType.EXACT) {
      if (grpc.service().isPresent() && grpc.method().isPresent()) {
        return PathMatch.exact("/" + grpc.service().get() + "/" + grpc.method().get());
      }
      if (grpc.service().isPresent()) {
        return PathMatch.prefix("/" + grpc.service().get() + "/");
      }
      if (grpc.method().isPresent()) {
        return PathMatch.regularExpression(
            "/[^/]+/" + com.google.re2j.Pattern.quote(grpc.method().get()));
      }
      return PathMatch.prefix("/");
    }
    return PathMatch.regularExpression(
        "/(" + grpc.service().orElse("[^/]+") + ")/(" + grpc.method().orElse("[^/]+") + ")");
  }

  private static ValueCondition condition(ValueMatch match) {
    return match.type() == ValueType.EXACT
        ? ValueCondition.exact(match.name(), match.value())
        : ValueCondition.regex(match.name(), match.value());
  }

  private static List<RequestPolicy> policies(List<RouteFilter> filters, RuleEntry entry) {
    List<RequestPolicy> policies = new ArrayList<>();
    for (RouteFilter filter : filters) {
      if (filter instanceof RouteFilter.HeaderModifier modifier) {
        HeaderChanges changes =
            new HeaderChanges(
                modifier.set().stream()
                    .map(h -> new PolicyAnswer.Header(h.name(), h.value()))
                    .toList(),
                modifier.add().stream()
                    .map(h -> new PolicyAnswer.Header(h.name(), h.value()))
                    .toList(),
                modifier.remove());
        policies.add(
            modifier.target() == RouteFilter.HeaderTarget.REQUEST
                ? new RequestHeaderModifierPolicy(changes)
                : new ResponseHeaderModifierPolicy(changes));
      } else if (filter instanceof RouteFilter.RequestRedirect redirect) {
        policies.add(
            new GatewayRedirectPolicy(
                redirect.scheme().orElse(null),
                redirect.hostname().orElse(null),
                redirect.port().orElse(0),
                redirect.path().map(p -> rewrite(p, entry)).orElse(null),
                redirect.statusCode(),
                entry.gatewayPort()));
      } else if (filter instanceof RouteFilter.UrlRewrite rewrite) {
        policies.add(
            new UrlRewritePolicy(
                rewrite.hostname().orElse(null),
                rewrite.path().map(p -> rewrite(p, entry)).orElse(null)));
      } else if (filter instanceof RouteFilter.Cors cors) {
        policies.add(
            new GatewayCorsPolicy(
                cors.allowOrigins(),
                cors.allowMethods(),
                cors.allowHeaders(),
                cors.exposeHeaders(),
                cors.allowCredentials(),
                cors.maxAge()));
      } else if (filter instanceof RouteFilter.ExtensionRef) {
        policies.add(new FixedAnswerPolicy(500, UNSUPPORTED_FILTER));
      }
    }
    return policies;
  }

  private static PathRewrite rewrite(RouteFilter.PathModifier modifier, RuleEntry entry) {
    if (modifier.kind() == RouteFilter.PathModifier.Kind.REPLACE_FULL_PATH) {
      return PathRewrite.fullPath(modifier.value());
    }
    String matched = entry.match() instanceof HttpMatch http ? http.path().value() : "/";
    return PathRewrite.prefix(matched, modifier.value());
  }
}
