package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import io.portico.router.balance.AffinityKey;
import io.portico.router.balance.BackendPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Ingress specification as a pure function: {@link ClusterSnapshot} in, {@link Translation}
 * out. Same objects, same table: Ingresses are processed oldest first (creation time, then
 * namespace/name), which also decides conflicts (see {@link
 * io.portico.router.route.RoutePrecedence}). Each Ingress gives its rules (with the HTTPS policy of
 * {@link IngressHttps}) and its {@code spec.tls} certificates ({@link CertificateStep}).
 */
public final class Translator {

  /** An Ingress with its sort key computed once: parsing timestamps inside a comparator is slow. */
  private record Aged(Instant created, ObjectKey key, Ingress ingress) {
    static final Comparator<Aged> OLDEST_FIRST =
        Comparator.comparing(Aged::created).thenComparing(Aged::key);

    static Aged of(Ingress ingress) {
      return new Aged(createdAt(ingress), ObjectKey.of(ingress), ingress);
    }
  }

  private final TranslatorSettings settings;
  private final Clock clock;
  private final AffinityKey affinityKey;
  private final TlsInputs tls;

  /**
   * A translator whose tables key session cookies with the {@linkplain AffinityKey#builtIn()
   * built-in key}, with a default certificate generated now and no {@code --default-tls-secret}.
   *
   * @param clock the time certificate validity is judged by; translation reads nothing else of it
   */
  public Translator(TranslatorSettings settings, Clock clock) {
    this(settings, clock, AffinityKey.builtIn());
  }

  /**
   * @param clock the time certificate validity is judged by; translation reads nothing else of it
   * @param affinityKey the key the tables compute session cookie values with
   */
  public Translator(TranslatorSettings settings, Clock clock, AffinityKey affinityKey) {
    this(settings, clock, affinityKey, TlsInputs.generated(clock.instant()));
  }

  /**
   * @param clock the time certificate validity is judged by; translation reads nothing else of it
   * @param affinityKey the key the tables compute session cookie values with
   * @param tls the default certificate and the parse-once cache of Secrets
   */
  public Translator(
      TranslatorSettings settings, Clock clock, AffinityKey affinityKey, TlsInputs tls) {
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.affinityKey = requireNonNull(affinityKey, "affinityKey");
    this.tls = requireNonNull(tls, "tls");
  }

  public TranslatorSettings settings() {
    return settings;
  }

  public Translation translate(ClusterSnapshot snapshot) {
    requireNonNull(snapshot, "snapshot");
    IngressOwnership ownership = new IngressOwnership(snapshot, settings);
    List<Ingress> owned =
        snapshot.ingresses().stream()
            .filter(ownership::owns)
            .map(Aged::of)
            .sorted(Aged.OLDEST_FIRST)
            .map(Aged::ingress)
            .toList();
    Run run = new Run(new BackendResolver(snapshot));
    CertificateStep certificates = new CertificateStep(snapshot, tls, now());
    for (Ingress ingress : owned) {
      run.ingress(ingress);
      if (ingress.getSpec() != null) {
        certificates.ingress(ingress);
      }
    }
    settings.defaultBackend().ifPresent(run::controllerDefault);
    ServedCertificates served = certificates.build();
    List<Finding> findings = new ArrayList<>(run.findings);
    findings.addAll(certificates.findings());
    findings.sort(null);
    return new Translation(
        run.table.build(),
        findings,
        owned.stream().map(ObjectKey::of).toList(),
        run.resolver.referencedServices(),
        certificates.referencedSecrets(),
        served);
  }

  /** The time judged "now" for certificate validity. */
  Instant now() {
    return clock.instant();
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

  /** The state of one translation. */
  private final class Run {
    private final BackendResolver resolver;
    private final RouteTable.Builder table = RouteTable.builder(affinityKey);
    private final Set<Finding> findings = new LinkedHashSet<>();
    // The HTTPS policy of the Ingress being processed, for the routes it makes.
    private IngressHttps https = IngressHttps.NONE;

    Run(BackendResolver resolver) {
      this.resolver = resolver;
    }

    void ingress(Ingress ingress) {
      ObjectKey key = ObjectKey.of(ingress);
      ObjectRef subject = ObjectRef.ingress(key);
      RouteOrigin origin = new RouteOrigin(key.namespace(), key.name());
      IngressSpec spec = ingress.getSpec();
      if (spec == null) {
        warn(subject, "InvalidIngress", "the Ingress has no spec");
        return;
      }
      https = IngressHttps.of(ingress, (reason, message) -> warn(subject, reason, message));
      BackendPolicy policy =
          BackendPolicies.read(
              new IngressAnnotations(ingress),
              message -> warn(subject, "InvalidAnnotation", message));
      List<HostnamePattern> hosts = new ArrayList<>();
      for (IngressRule rule : spec.getRules() == null ? List.<IngressRule>of() : spec.getRules()) {
        HostnamePattern host;
        try {
          host = HostnamePattern.of(rule.getHost());
        } catch (IllegalArgumentException e) {
          warn(subject, "InvalidHost", "rule skipped: " + e.getMessage());
          continue;
        }
        hosts.add(host);
        if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
          continue;
        }
        for (HTTPIngressPath path : rule.getHttp().getPaths()) {
          path(subject, origin, key.namespace(), host, path, policy);
        }
      }
      if (spec.getDefaultBackend() != null) {
        defaultBackend(subject, origin, key.namespace(), spec.getDefaultBackend(), hosts, policy);
      }
    }

    private void path(
        ObjectRef subject,
        RouteOrigin origin,
        String namespace,
        HostnamePattern host,
        HTTPIngressPath path,
        BackendPolicy policy) {
      String type = path.getPathType();
      String rawPath = path.getPath();
      String where = "rule " + host + " " + (rawPath == null ? "" : rawPath);
      PathMatch match;
      if (type == null) {
        warn(
            subject,
            "InvalidPath",
            where + ": pathType is required; treated as ImplementationSpecific");
        type = "ImplementationSpecific";
      }
      switch (type) {
        case "Exact", "Prefix" -> {
          String problem = IngressPaths.problem(rawPath);
          if (problem != null) {
            warn(subject, "InvalidPath", where + " skipped: " + problem);
            return;
          }
          match = type.equals("Exact") ? PathMatch.exact(rawPath) : PathMatch.prefix(rawPath);
        }
        case "ImplementationSpecific" -> {
          String effective = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
          if (effective.charAt(0) != '/') {
            warn(subject, "InvalidPath", where + " skipped: the path must start with /");
            return;
          }
          match = PathMatch.prefix(effective);
        }
        default -> {
          warn(
              subject,
              "InvalidPath",
              where
                  + " skipped: pathType "
                  + type
                  + " (expected: Exact, Prefix or ImplementationSpecific)");
          return;
        }
      }
      Optional<BackendResolver.Resolution> resolution =
          backend(subject, namespace, path.getBackend(), where);
      if (resolution.isEmpty()) {
        return;
      }
      Route route =
          new Route(
              host,
              match,
              resolution.get().backend().withPolicy(policy),
              origin,
              https.policy(host));
      table
          .add(route)
          .ifPresent(
              winner ->
                  warn(
                      subject,
                      "RuleConflict",
                      where
                          + " ("
                          + match.typeName()
                          + ") is already served by Ingress "
                          + winner.origin()
                          + ", which is older; this rule is ignored"));
    }

    private void defaultBackend(
        ObjectRef subject,
        RouteOrigin origin,
        String namespace,
        IngressBackend backend,
        List<HostnamePattern> hosts,
        BackendPolicy policy) {
      Optional<BackendResolver.Resolution> resolution =
          backend(subject, namespace, backend, "spec.defaultBackend");
      if (resolution.isEmpty()) {
        return;
      }
      Set<HostnamePattern> scopes = new LinkedHashSet<>(hosts);
      scopes.add(HostnamePattern.any());
      for (HostnamePattern host : scopes) {
        Route fallback =
            new Route(
                host,
                PathMatch.prefix("/"),
                resolution.get().backend().withPolicy(policy),
                origin,
                https.policy(host));
        table
            .fallback(fallback)
            .ifPresent(
                winner ->
                    warn(
                        subject,
                        "DefaultBackendConflict",
                        "spec.defaultBackend for "
                            + (host.kind() == HostnamePattern.Kind.ANY
                                ? "unmatched hosts"
                                : "host " + host)
                            + " is already set by Ingress "
                            + winner.origin()
                            + ", which is older"));
      }
    }

    /**
     * Resolves a backend reference, reporting problems; empty when the rule cannot route at all.
     */
    private Optional<BackendResolver.Resolution> backend(
        ObjectRef subject, String namespace, IngressBackend backend, String where) {
      if (backend == null) {
        warn(subject, "InvalidBackend", where + " skipped: no backend");
        return Optional.empty();
      }
      if (backend.getResource() != null) {
        warn(
            subject,
            "UnsupportedBackend",
            where
                + " skipped: resource backends ("
                + backend.getResource().getKind()
                + ") are not supported; use a Service");
        return Optional.empty();
      }
      if (backend.getService() == null || backend.getService().getName() == null) {
        warn(subject, "InvalidBackend", where + " skipped: the backend names no Service");
        return Optional.empty();
      }
      String serviceName = backend.getService().getName();
      if (serviceName.indexOf('/') >= 0) {
        warn(
            subject,
            "CrossNamespaceReference",
            where
                + " skipped: Service "
                + serviceName
                + " is not in the Ingress's namespace; cross-namespace references are refused");
        return Optional.empty();
      }
      ServiceBackendPort port = backend.getService().getPort();
      String portText =
          port == null
              ? null
              : port.getNumber() != null ? String.valueOf(port.getNumber()) : port.getName();
      BackendResolver.Resolution resolution =
          resolver.resolve(new ObjectKey(namespace, serviceName), portText);
      if (!resolution.ok()) {
        warn(subject, resolution.reason(), resolution.problem() + " (" + where + ")");
      }
      return Optional.of(resolution);
    }

    void controllerDefault(TranslatorSettings.ServiceRef ref) {
      BackendResolver.Resolution resolution =
          resolver.resolve(ref.service(), ref.port().orElse(null));
      if (!resolution.ok()) {
        warn(
            new ObjectRef("Service", ref.service()),
            resolution.reason(),
            resolution.problem() + " (--default-backend " + ref + ")");
      }
      table.defaultRoute(
          new Route(
              HostnamePattern.any(),
              PathMatch.prefix("/"),
              resolution.backend(),
              RouteOrigin.CONTROLLER_DEFAULT));
    }

    private void warn(ObjectRef subject, String reason, String message) {
      findings.add(Finding.warning(subject, reason, message));
    }
  }
}
