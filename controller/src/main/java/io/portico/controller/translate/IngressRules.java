package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

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
import io.portico.controller.annotations.AnnotationVerdict;
import io.portico.controller.annotations.HttpsRule;
import io.portico.controller.annotations.IngressContext;
import io.portico.controller.annotations.IngressPolicy;
import io.portico.controller.config.ControllerConfig;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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
 * defaults from and the {@link BackendResolver.Resolution}s of the Service ports it names. {@link
 * Part#stillValid} checks the latter, so a part can be reused for as long as the Ingress keeps its
 * version and the config stays the same ({@link IngressRulesStep}): an unchanged Ingress is
 * translated once, not on every change elsewhere in the cluster.
 */
final class IngressRules {

  /**
   * A rule of the Ingress, with where it was written for conflict messages.
   *
   * @param route the route
   * @param where {@code rule HOST PATH} or {@code spec.defaultBackend for ...}
   */
  record Rule(Route route, String where) {}

  /** A Service port the Ingress named, and what it resolved to. */
  record Dependency(
      ObjectKey service, @Nullable String port, BackendResolver.Resolution resolution) {}

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
   */
  record Part(
      ObjectKey key,
      Instant created,
      List<Rule> rules,
      List<Route> fallbacks,
      List<Finding> findings,
      List<Dependency> dependencies,
      AnnotationVerdict annotations,
      Optional<RefusedIngress> refusal) {

    /**
     * Whether every Service port resolves to the very same resolution as when this part was made.
     * Resolving also records the Service as referenced by this translation, as a new part would.
     */
    boolean stillValid(BackendResolver resolver) {
      boolean valid = true;
      for (Dependency dependency : dependencies) {
        valid &=
            resolver.resolve(dependency.service(), dependency.port()) == dependency.resolution();
      }
      return valid;
    }
  }

  private final BackendResolver resolver;
  private final AnnotationReader reader;
  private final ControllerConfig config;
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

  private IngressRules(
      BackendResolver resolver, AnnotationReader reader, ControllerConfig config, Ingress ingress) {
    this.resolver = resolver;
    this.reader = reader;
    this.config = config;
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
   */
  static Part of(
      Ingress ingress, BackendResolver resolver, AnnotationReader reader, ControllerConfig config) {
    IngressRules rules = new IngressRules(resolver, reader, config, ingress);
    rules.read();
    return new Part(
        rules.key,
        createdAt(ingress),
        List.copyOf(rules.rules),
        List.copyOf(rules.fallbacks),
        List.copyOf(rules.findings),
        List.copyOf(rules.dependencies),
        rules.annotations,
        rules.refusal);
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
      defaultBackend(spec.getDefaultBackend(), hosts);
    }
    if (reading.refused()) {
      // Fail closed: nothing of the Ingress serves. Its rules were still read, so that the
      // problems they have are reported with the refusal, not one at a time.
      rules.clear();
      fallbacks.clear();
      refusal = Optional.of(new RefusedIngress(key, hosts, annotations));
    }
  }

  private AnnotationReading readAnnotations(@Nullable IngressSpec spec) {
    Map<String, String> annotations = ingress.getMetadata().getAnnotations();
    AnnotationReading reading =
        reader.read(
            annotations == null ? Map.of() : annotations,
            new IngressContext(key.namespace(), key.name(), tlsHosts(spec), config));
    for (AnnotationFinding finding : reading.findings()) {
      findings.add(
          finding.warning()
              ? Finding.warning(subject, finding.reason(), finding.message())
              : Finding.notice(subject, finding.reason(), finding.message()));
    }
    return reading;
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
        match = type.equals("Exact") ? PathMatch.exact(rawPath) : PathMatch.prefix(rawPath);
      }
      case "ImplementationSpecific" -> {
        String effective = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (effective.charAt(0) != '/') {
          warn("InvalidPath", where + " skipped: the path must start with /");
          return;
        }
        match = PathMatch.prefix(effective);
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
    rules.add(new Rule(policy.route(host, match, resolution.backend(), origin), where));
  }

  private void defaultBackend(IngressBackend backend, List<HostnamePattern> hosts) {
    BackendResolver.Resolution resolution = backend(backend, "spec.defaultBackend");
    if (resolution == null) {
      return;
    }
    Set<HostnamePattern> scopes = new LinkedHashSet<>(hosts);
    scopes.add(HostnamePattern.any());
    for (HostnamePattern host : scopes) {
      fallbacks.add(policy.route(host, PathMatch.prefix("/"), resolution.backend(), origin));
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
    BackendResolver.Resolution resolution = resolver.resolve(service, portText);
    dependencies.add(new Dependency(service, portText, resolution));
    if (!resolution.ok()) {
      warn(
          requireNonNull(resolution.reason(), "reason"), resolution.problem() + " (" + where + ")");
    }
    return resolution;
  }

  private void warn(String reason, String message) {
    findings.add(Finding.warning(subject, reason, message));
  }
}
