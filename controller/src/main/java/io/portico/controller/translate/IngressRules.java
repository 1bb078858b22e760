package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import io.portico.controller.annotations.AnnotationFinding;
import io.portico.controller.annotations.AnnotationReader;
import io.portico.controller.annotations.AnnotationReading;
import io.portico.controller.annotations.AnnotationValues;
import io.portico.controller.annotations.AnnotationVerdict;
import io.portico.controller.annotations.CanarySpec;
import io.portico.controller.annotations.HttpsRule;
import io.portico.controller.annotations.IngressContext;
import io.portico.controller.annotations.IngressPolicy;
import io.portico.controller.annotations.IngressRouting;
import io.portico.controller.annotations.MirrorTarget;
import io.portico.controller.annotations.SecretLookup;
import io.portico.controller.config.ControllerConfig;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.Kinds;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.router.policy.DefaultBackendHeadersPolicy;
import io.portico.router.policy.ErrorPageContext;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.ErrorPages;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.Mirror;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rules of one Ingress on their own: its routes, its default-backend routes and the warnings
 * about it, before they meet the rules of other Ingresses (conflicts are decided by {@link
 * RuleClaimsStep} and {@link DefaultBackendsStep}, oldest first).
 *
 * <p>What one Ingress gives depends only on the Ingress object, the controller config it takes its
 * defaults from, the ConfigMaps and Secrets it refers to ({@link Part#configMaps}, {@link
 * Part#secrets}) and the {@link BackendResolver.Resolution}s of the Service ports it names. {@link
 * Part#stillValid} checks the latter, so a part can be reused for as long as the Ingress keeps its
 * version and the config and those ConfigMaps and Secrets stay the same ({@link IngressRulesStep}):
 * an unchanged Ingress is translated once, not on every change elsewhere in the cluster.
 */
final class IngressRules {

  /**
   * A rule of the Ingress, with where it was written for conflict messages.
   *
   * @param route the route
   * @param where {@code rule HOST PATH} or {@code spec.defaultBackend for ...}
   */
  record Rule(Route route, String where) {}

  /**
   * A rule of a canary Ingress, to join the main Ingress's rule with the same host, path and type.
   *
   * @param route the rule as if it served: host, path, the canary's backend (with its own
   *     balancing), the canary Ingress as origin
   * @param spec what the canary asks for
   * @param where {@code rule HOST PATH}
   */
  record CanaryRule(Route route, CanarySpec spec, String where) {}

  /** A Service port the Ingress named, and what it resolved to. */
  record Dependency(
      ObjectKey service,
      @Nullable String port,
      BackendResolver.Resolution resolution,
      boolean clusterIp) {

    Dependency(ObjectKey service, @Nullable String port, BackendResolver.Resolution resolution) {
      this(service, port, resolution, false);
    }
  }

  /**
   * What one Ingress contributes to a translation.
   *
   * @param key the Ingress
   * @param created its creation time ({@link Instant#MAX} when missing or invalid), the age that
   *     decides conflicts
   * @param rules its path rules, in order
   * @param fallbacks its {@code spec.defaultBackend}, once per host of its rules and for unmatched
   *     hosts
   * @param findings warnings about the Ingress itself (not the conflicts, which depend on others)
   * @param dependencies the Service ports it named, in order
   * @param annotations what became of each of its annotations
   * @param refusal present when its annotations refuse it: then it has no rules and no fallbacks
   * @param canary whether the Ingress is a canary (and not refused): its rules only join others'
   * @param canaryRules the rules of a canary Ingress, which has no rules of its own; empty for
   *     every other Ingress
   * @param routing what its routing annotations ask of its hosts as a whole ({@code app-root},
   *     {@code server-alias}, {@code from-to-www-redirect}), applied where its rules meet those of
   *     other Ingresses
   * @param configMaps the ConfigMaps reading it looked up (whether they existed or not)
   * @param secrets the Secrets reading its annotations looked up ({@code auth-secret}), whether
   *     they existed or not
   */
  record Part(
      ObjectKey key,
      Instant created,
      List<Rule> rules,
      List<Route> fallbacks,
      List<Finding> findings,
      List<Dependency> dependencies,
      AnnotationVerdict annotations,
      Optional<RefusedIngress> refusal,
      boolean canary,
      List<CanaryRule> canaryRules,
      IngressRouting routing,
      Set<ObjectKey> configMaps,
      Set<ObjectKey> secrets) {

    Part {
      configMaps = Set.copyOf(configMaps);
      secrets = Set.copyOf(secrets);
    }

    /**
     * Whether every Service port resolves to the very same resolution as when this part was made.
     * Resolving also records the Service as referenced by this translation, as a new part would.
     */
    boolean stillValid(BackendResolver resolver) {
      boolean valid = true;
      for (Dependency dependency : dependencies) {
        valid &=
            resolver.resolve(dependency.service(), dependency.port(), dependency.clusterIp())
                == dependency.resolution();
      }
      return valid;
    }
  }

  private final BackendResolver resolver;
  private final AnnotationReader reader;
  private final ControllerConfig config;
  private final Optional<TranslatorSettings.ServiceRef> controllerDefault;
  // What error pages and the default-backend annotation resolve to; decided once per Ingress.
  private @Nullable ErrorBackends errorBackends;
  private final ClusterSnapshot snapshot;
  private final Set<ObjectKey> configMaps = new HashSet<>();
  private final Set<ObjectKey> secrets = new HashSet<>();
  private final Ingress ingress;
  private final ObjectKey key;
  private final ObjectRef subject;
  private final RouteOrigin origin;
  private final Set<Finding> findings = new LinkedHashSet<>();
  private final List<Rule> rules = new ArrayList<>();
  private final List<Route> fallbacks = new ArrayList<>();
  private final List<Dependency> dependencies = new ArrayList<>();
  private IngressPolicy policy = IngressPolicy.DEFAULT;
  private AnnotationVerdict annotations = AnnotationVerdict.NONE;
  private Optional<RefusedIngress> refusal = Optional.empty();
  private final List<CanaryRule> canaryRules = new ArrayList<>();
  // What the Ingress asks of the rules it joins, when it is a canary.
  private @Nullable CanarySpec canary;
  // Where copies of its requests go, when it has a mirror.
  private Optional<Mirror> mirror = Optional.empty();

  private IngressRules(
      BackendResolver resolver,
      AnnotationReader reader,
      ControllerConfig config,
      Optional<TranslatorSettings.ServiceRef> controllerDefault,
      ClusterSnapshot snapshot,
      Ingress ingress) {
    this.resolver = resolver;
    this.reader = reader;
    this.config = config;
    this.controllerDefault = controllerDefault;
    this.snapshot = snapshot;
    this.ingress = ingress;
    this.key = ObjectKey.of(ingress);
    this.subject = ObjectRef.ingress(key);
    this.origin = new RouteOrigin(key.namespace(), key.name());
  }

  /**
   * Translates one Ingress's rules, resolving its backends with {@code resolver} and reading its
   * annotations with {@code reader}.
   *
   * @param config the controller config in force: its keys apply where the Ingress sets no
   *     annotation
   * @param controllerDefault {@code --default-backend}, the error backend of error pages when the
   *     Ingress names none
   * @param snapshot where the ConfigMaps its annotations and {@code config} refer to are looked up
   */
  static Part of(
      Ingress ingress,
      BackendResolver resolver,
      AnnotationReader reader,
      ControllerConfig config,
      Optional<TranslatorSettings.ServiceRef> controllerDefault,
      ClusterSnapshot snapshot) {
    IngressRules rules =
        new IngressRules(resolver, reader, config, controllerDefault, snapshot, ingress);
    rules.read();
    return new Part(
        rules.key,
        createdAt(ingress),
        List.copyOf(rules.rules),
        List.copyOf(rules.fallbacks),
        List.copyOf(rules.findings),
        List.copyOf(rules.dependencies),
        rules.annotations,
        rules.refusal,
        rules.canary != null && rules.refusal.isEmpty(),
        List.copyOf(rules.canaryRules),
        rules.refusal.isPresent() ? IngressRouting.NONE : rules.policy.routing(),
        rules.configMaps,
        rules.secrets);
  }

  private static Instant createdAt(Ingress ingress) {
    String timestamp = ingress.getMetadata().getCreationTimestamp();
    if (timestamp == null || timestamp.isEmpty()) {
      return Instant.MAX;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return Instant.MAX;
    }
  }

  private void read() {
    IngressSpec spec = ingress.getSpec();
    AnnotationReading reading = readAnnotations(spec);
    policy = reading.policy();
    annotations = reading.verdict();
    if (spec == null) {
      warn("InvalidIngress", "the Ingress has no spec");
      return;
    }
    canary = policy.canary().orElse(null);
    if (canary != null) {
      if (spec.getTls() != null && !spec.getTls().isEmpty()) {
        warn(
            "CanaryTlsIgnored",
            "spec.tls is ignored on a canary Ingress: the main Ingress's TLS section applies");
      }
    } else {
      mirror = policy.mirror().flatMap(this::mirror);
    }
    List<HostnamePattern> hosts = new ArrayList<>();
    for (IngressRule rule : spec.getRules() == null ? List.<IngressRule>of() : spec.getRules()) {
      HostnamePattern host;
      try {
        host = HostnamePattern.of(rule.getHost());
      } catch (IllegalArgumentException e) {
        warn("InvalidHost", "rule skipped: " + e.getMessage());
        continue;
      }
      hosts.add(host);
      if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
        continue;
      }
      for (HTTPIngressPath path : rule.getHttp().getPaths()) {
        path(host, path);
      }
    }
    if (spec.getDefaultBackend() != null) {
      if (canary != null) {
        warn(
            "CanaryDefaultBackend",
            "spec.defaultBackend of a canary Ingress is not used: a canary only joins rules with"
                + " the same host, path and path type");
      } else {
        defaultBackend(spec.getDefaultBackend(), hosts);
      }
    }
    if (canary != null && canaryRules.isEmpty()) {
      warn("CanaryWithoutRules", "the canary Ingress has no rule to join another Ingress's");
    }
    if (reading.refused()) {
      // Fail closed: nothing of the Ingress serves. Its rules were still read, so that the
      // problems they have are reported with the refusal, not one at a time.
      rules.clear();
      fallbacks.clear();
      canaryRules.clear();
      refusal = Optional.of(new RefusedIngress(key, hosts, annotations));
    }
  }

  /**
   * The mirror of the Ingress's routes: the target's Service port resolved as any backend (and
   * watched as one), never a name for a resolver. An ExternalName Service cannot be a mirror.
   */
  private Optional<Mirror> mirror(MirrorTarget target) {
    ObjectKey service = new ObjectKey(key.namespace(), target.service());
    BackendResolver.Resolution resolution = resolver.resolve(service, target.port());
    dependencies.add(new Dependency(service, target.port(), resolution));
    if (!resolution.ok()) {
      warn(
          requireNonNull(resolution.reason(), "reason"), resolution.problem() + " (mirror-target)");
    }
    for (Endpoint endpoint : resolution.backend().endpoints()) {
      if (!isIpAddress(endpoint.host())) {
        warn(
            AnnotationReader.INVALID,
            annotationKey("mirror-target")
                + ": "
                + target.target()
                + " (expected: a Service with endpoints; "
                + service
                + " is an ExternalName Service); no request is mirrored");
        return Optional.empty();
      }
    }
    return Optional.of(new Mirror(resolution.backend(), target.copy()));
  }

  /** The key that supplies an annotation on this Ingress, as written. */
  private String annotationKey(String name) {
    Map<String, String> raw = ingress.getMetadata().getAnnotations();
    return AnnotationValues.of(raw == null ? Map.of() : raw).keyOf(name);
  }

  private static boolean isIpAddress(String host) {
    if (host.indexOf(':') >= 0) {
      return true;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return !host.isEmpty();
  }

  private AnnotationReading readAnnotations(@Nullable IngressSpec spec) {
    Map<String, String> annotations = ingress.getMetadata().getAnnotations();
    AnnotationReading reading =
        reader.read(
            annotations == null ? Map.of() : annotations,
            new IngressContext(
                key.namespace(),
                key.name(),
                tlsHosts(spec),
                config,
                this::configMapData,
                this::secretContent));
    for (AnnotationFinding finding : reading.findings()) {
      findings.add(
          finding.warning()
              ? Finding.warning(subject, finding.reason(), finding.message())
              : Finding.notice(subject, finding.reason(), finding.message()));
    }
    return reading;
  }

  /** A ConfigMap's data, remembering that this Ingress depends on it. */
  private Optional<Map<String, String>> configMapData(String namespace, String name) {
    ObjectKey configMap = new ObjectKey(namespace, name);
    configMaps.add(configMap);
    ConfigMap object = snapshot.get(Kinds.CONFIG_MAP, configMap);
    if (object == null) {
      return Optional.empty();
    }
    return Optional.of(object.getData() == null ? Map.of() : object.getData());
  }

  /**
   * A Secret's content, decoded, remembering that this Ingress depends on it. {@code data} is read
   * as the API server stores it (base64); {@code stringData}, which only hand-written manifests
   * carry, wins for its keys, as the API server would merge it.
   */
  private Optional<SecretLookup.Content> secretContent(String namespace, String name) {
    ObjectKey key = new ObjectKey(namespace, name);
    secrets.add(key);
    Secret object = snapshot.secret(key);
    if (object == null) {
      return Optional.empty();
    }
    Map<String, String> data = new HashMap<>();
    Set<String> unreadable = new HashSet<>();
    if (object.getData() != null) {
      object
          .getData()
          .forEach(
              (k, encoded) -> {
                try {
                  // Line breaks are ignored, as the API server's decoder does.
                  String compact =
                      encoded == null ? "" : encoded.replace("\r", "").replace("\n", "");
                  data.put(
                      k, new String(Base64.getDecoder().decode(compact), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                  unreadable.add(k);
                }
              });
    }
    if (object.getStringData() != null) {
      object
          .getStringData()
          .forEach(
              (k, text) -> {
                data.put(k, text == null ? "" : text);
                unreadable.remove(k);
              });
    }
    String type =
        object.getType() == null || object.getType().isEmpty()
            ? SecretLookup.Content.OPAQUE
            : object.getType();
    return Optional.of(new SecretLookup.Content(type, data, unreadable));
  }

  /** The hosts of {@code spec.tls}, as {@link HttpsRule} compares them. */
  private static Set<String> tlsHosts(@Nullable IngressSpec spec) {
    Set<String> hosts = new HashSet<>();
    List<IngressTLS> tls = spec == null ? null : spec.getTls();
    if (tls != null) {
      for (IngressTLS entry : tls) {
        if (entry != null && entry.getHosts() != null) {
          for (String host : entry.getHosts()) {
            if (host != null && !host.isBlank()) {
              hosts.add(HttpsRule.normalize(host.strip()));
            }
          }
        }
      }
    }
    return hosts;
  }

  private void path(HostnamePattern host, HTTPIngressPath path) {
    String type = path.getPathType();
    String rawPath = path.getPath();
    String where = "rule " + host + " " + (rawPath == null ? "" : rawPath);
    PathMatch match;
    if (type == null) {
      warn("InvalidPath", where + ": pathType is required; treated as ImplementationSpecific");
      type = "ImplementationSpecific";
    }
    switch (type) {
      case "Exact", "Prefix" -> {
        String problem = IngressPaths.problem(rawPath);
        if (problem != null) {
          warn("InvalidPath", where + " skipped: " + problem);
          return;
        }
        if (policy.routing().regexPath(rawPath)) {
          match = regex(rawPath, where);
          if (match == null) {
            return;
          }
        } else {
          match = type.equals("Exact") ? PathMatch.exact(rawPath) : PathMatch.prefix(rawPath);
        }
      }
      case "ImplementationSpecific" -> {
        String effective = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (effective.charAt(0) != '/') {
          warn("InvalidPath", where + " skipped: the path must start with /");
          return;
        }
        if (policy.routing().regexPath(effective)) {
          match = regex(effective, where);
          if (match == null) {
            return;
          }
        } else {
          match = PathMatch.prefix(effective);
        }
      }
      default -> {
        warn(
            "InvalidPath",
            where
                + " skipped: pathType "
                + type
                + " (expected: Exact, Prefix or ImplementationSpecific)");
        return;
      }
    }
    BackendResolver.Resolution resolution = backend(path.getBackend(), where);
    if (resolution == null) {
      return;
    }
    Route route =
        withErrorPages(policy.route(host, match, resolution.backend(), origin), resolution)
            .withMirror(mirror);
    if (canary != null) {
      canaryRules.add(new CanaryRule(route, canary, where));
    } else {
      rules.add(new Rule(route, where));
    }
  }

  /**
   * A path of the Ingress as a regular expression ({@code use-regex}, {@code rewrite-target}); an
   * expression RE2 cannot take is a warning on this Ingress, and its rule is left out.
   */
  private @Nullable PathMatch regex(String rawPath, String where) {
    try {
      return PathMatch.regex(rawPath);
    } catch (IllegalArgumentException e) {
      warn("InvalidRegex", where + " skipped: " + e.getMessage());
      return null;
    }
  }

  /**
   * The route with what {@code custom-http-errors} and {@code default-backend} ask: its error
   * pages, and the default backend in place of a Service without endpoints, told why.
   */
  private Route withErrorPages(Route route, BackendResolver.Resolution resolution) {
    ErrorBackends backends = errorBackends();
    if (backends.errorPages() == null && backends.annotated() == null) {
      return route;
    }
    BackendId id = resolution.backend().id();
    ErrorPageContext context =
        new ErrorPageContext(key.namespace(), key.name(), id.service(), id.port());
    Backend backend = route.backend();
    RoutePolicies policies = route.policies();
    if (backends.annotated() != null && resolution.backend().endpoints().isEmpty()) {
      // ingress-nginx's default-backend annotation: it answers for a Service without endpoints.
      backend = backends.annotated();
      policies = policies.with(RoutePolicies.of(new DefaultBackendHeadersPolicy(context)));
    }
    ErrorPages pages = null;
    if (backends.errorPages() != null) {
      pages = new ErrorPages(policy.routing().customHttpErrors(), backends.errorPages(), context);
    }
    return new Route(
        route.host(),
        route.path(),
        backend,
        route.origin(),
        route.https(),
        policies,
        route.canaries(),
        route.mirror(),
        pages,
        route.upstream());
  }

  /**
   * The backends of the Ingress's error pages and {@code default-backend}, resolved once (and named
   * as dependencies, so that a change to them reads the Ingress again).
   */
  private ErrorBackends errorBackends() {
    if (errorBackends != null) {
      return errorBackends;
    }
    IngressRouting routing = policy.routing();
    Backend annotated = null;
    if (routing.defaultBackend() != null) {
      ObjectKey service = new ObjectKey(key.namespace(), routing.defaultBackend());
      BackendResolver.Resolution resolution = resolver.resolve(service, null);
      dependencies.add(new Dependency(service, null, resolution));
      if (!resolution.ok()) {
        warn(
            requireNonNull(resolution.reason(), "reason"),
            resolution.problem()
                + " ("
                + AnnotationValues.NGINX_PREFIX
                + "default-backend; the controller's default backend answers instead)");
      } else if (!resolution.backend().endpoints().isEmpty()) {
        annotated = resolution.backend();
      }
    }
    Backend errorPages = null;
    if (!routing.customHttpErrors().isEmpty()) {
      errorPages = annotated != null ? annotated : controllerDefaultBackend();
      if (errorPages == null && AnnotationValues.of(annotations()).has("custom-http-errors")) {
        warn(
            "NoErrorBackend",
            "custom-http-errors "
                + routing.customHttpErrors()
                + " has no backend to answer: name one with default-backend or"
                + " --default-backend; the backend's own answers are passed on");
      }
    }
    errorBackends = new ErrorBackends(annotated, errorPages);
    return errorBackends;
  }

  /** The backend of {@code --default-backend}, or {@code null} without one. */
  private @Nullable Backend controllerDefaultBackend() {
    if (controllerDefault.isEmpty()) {
      return null;
    }
    ObjectKey service = controllerDefault.get().service();
    String port = controllerDefault.get().port().orElse(null);
    BackendResolver.Resolution resolution = resolver.resolve(service, port);
    dependencies.add(new Dependency(service, port, resolution));
    return resolution.ok() ? resolution.backend() : null;
  }

  private Map<String, String> annotations() {
    Map<String, String> annotations = ingress.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  /**
   * @param annotated the {@code default-backend} Service's backend when it has endpoints
   * @param errorPages the error backend of error pages, or {@code null} for no error pages
   */
  private record ErrorBackends(@Nullable Backend annotated, @Nullable Backend errorPages) {}

  private void defaultBackend(IngressBackend backend, List<HostnamePattern> hosts) {
    BackendResolver.Resolution resolution = backend(backend, "spec.defaultBackend");
    if (resolution == null) {
      return;
    }
    Set<HostnamePattern> scopes = new LinkedHashSet<>(hosts);
    scopes.add(HostnamePattern.any());
    for (HostnamePattern host : scopes) {
      fallbacks.add(
          withErrorPages(
                  policy.route(host, PathMatch.prefix("/"), resolution.backend(), origin),
                  resolution)
              .withMirror(mirror));
    }
  }

  /**
   * Resolves a backend reference, reporting problems; {@code null} when the rule cannot route at
   * all.
   */
  private BackendResolver.@Nullable Resolution backend(
      @Nullable IngressBackend backend, String where) {
    if (backend == null) {
      warn("InvalidBackend", where + " skipped: no backend");
      return null;
    }
    if (backend.getResource() != null) {
      warn(
          "UnsupportedBackend",
          where
              + " skipped: resource backends ("
              + backend.getResource().getKind()
              + ") are not supported; use a Service");
      return null;
    }
    if (backend.getService() == null || backend.getService().getName() == null) {
      warn("InvalidBackend", where + " skipped: the backend names no Service");
      return null;
    }
    String serviceName = backend.getService().getName();
    if (serviceName.indexOf('/') >= 0) {
      warn(
          "CrossNamespaceReference",
          where
              + " skipped: Service "
              + serviceName
              + " is not in the Ingress's namespace; cross-namespace references are refused");
      return null;
    }
    ServiceBackendPort port = backend.getService().getPort();
    String portText =
        port == null
            ? null
            : port.getNumber() != null ? String.valueOf(port.getNumber()) : port.getName();
    ObjectKey service = new ObjectKey(key.namespace(), serviceName);
    boolean clusterIp = policy.serviceUpstream() && clusterIp(service, where);
    BackendResolver.Resolution resolution = resolver.resolve(service, portText, clusterIp);
    dependencies.add(new Dependency(service, portText, resolution, clusterIp));
    if (!resolution.ok()) {
      warn(
          requireNonNull(resolution.reason(), "reason"), resolution.problem() + " (" + where + ")");
    }
    return resolution;
  }

  /**
   * Whether {@code service-upstream} can send to the Service's ClusterIP. A Service without one
   * (headless, ExternalName, or a manifest that leaves {@code spec.clusterIP} out) is served
   * through its endpoints instead, with a warning, as ingress-nginx does: they are the pods the
   * ClusterIP would lead to, so nothing is served that would not be otherwise.
   */
  private boolean clusterIp(ObjectKey service, String where) {
    Service object = snapshot.service(service);
    if (object == null || object.getSpec() == null) {
      return false;
    }
    if (BackendResolver.hasClusterIp(object)) {
      return true;
    }
    warn(
        "ServiceUpstreamWithoutClusterIP",
        "Service "
            + service
            + " has no spec.clusterIP (headless, ExternalName, or not written in the manifest):"
            + " service-upstream sends to its endpoints instead ("
            + where
            + ")");
    return false;
  }

  private void warn(String reason, String message) {
    findings.add(Finding.warning(subject, reason, message));
  }
}
