package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.portico.router.balance.AffinityKey;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Ingress specification as a pure function: {@link ClusterSnapshot} in, {@link Translation}
 * out. Same objects, same table: Ingresses are processed oldest first (creation time, then
 * namespace/name), which also decides conflicts (see {@link
 * io.portico.router.route.RoutePrecedence}). Each Ingress gives its rules (with the HTTPS policy of
 * {@link IngressHttps}, see {@link IngressRules}) and its {@code spec.tls} certificates ({@link
 * CertificateStep}).
 *
 * <p>A translator remembers, from one translation to the next, what each Ingress object gave and
 * what each Service port resolved to (a memo, as for parsed Secrets: the result is the same as
 * translating from scratch). An Ingress is translated again only when it is a different object or
 * one of its Service ports resolves differently, so a change costs in proportion to what it
 * touches, plus one cheap pass over the rest. This relies on sources replacing an object that
 * changes rather than modifying it, which both sources do (and {@link ClusterSnapshot} requires).
 * Translations run one at a time.
 */
public final class Translator {

  /** An owned Ingress with its part, in processing order. */
  private record Owned(Ingress ingress, IngressRules.Part part) {
    static final Comparator<Owned> OLDEST_FIRST =
        (a, b) -> {
          int byAge = a.part().created().compareTo(b.part().created());
          return byAge != 0 ? byAge : a.part().key().compareTo(b.part().key());
        };
  }

  private final TranslatorSettings settings;
  private final Clock clock;
  private final AffinityKey affinityKey;
  private final TlsInputs tls;
  private final BackendResolver.Memo resolutions = new BackendResolver.Memo();
  private Map<Ingress, IngressRules.Part> parts = new IdentityHashMap<>();
  private List<Ingress> order = List.of();
  private RouteTable lastTable;

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

  public synchronized Translation translate(ClusterSnapshot snapshot) {
    requireNonNull(snapshot, "snapshot");
    IngressOwnership ownership = new IngressOwnership(snapshot, settings);
    BackendResolver resolver = new BackendResolver(snapshot, resolutions);
    Map<Ingress, IngressRules.Part> kept = new IdentityHashMap<>(parts.size() * 4 / 3 + 16);
    List<Owned> fresh = new ArrayList<>();
    for (Ingress ingress : snapshot.ingresses()) {
      if (!ownership.owns(ingress)) {
        continue;
      }
      IngressRules.Part part = parts.get(ingress);
      if (part == null) {
        part = IngressRules.of(ingress, resolver);
        fresh.add(new Owned(ingress, part));
      } else if (!part.stillValid(resolver)) {
        part = IngressRules.of(ingress, resolver);
      }
      kept.put(ingress, part);
    }
    // The Ingresses owned last time, in last time's order, then the new ones: sorting that is
    // nearly linear, where sorting the snapshot's order compared every pair again.
    List<Owned> owned = new ArrayList<>(kept.size());
    for (Ingress ingress : order) {
      IngressRules.Part part = kept.get(ingress);
      if (part != null) {
        owned.add(new Owned(ingress, part));
      }
    }
    owned.addAll(fresh);
    owned.sort(Owned.OLDEST_FIRST);
    List<Ingress> nextOrder = new ArrayList<>(owned.size());
    RouteTable.Builder table = RouteTable.builder(affinityKey);
    if (lastTable != null) {
      table.reusing(lastTable);
    }
    Set<Finding> found = new LinkedHashSet<>();
    CertificateStep certificates = new CertificateStep(snapshot, tls, now());
    List<ObjectKey> ownedKeys = new ArrayList<>(owned.size());
    for (Owned o : owned) {
      IngressRules.Part part = o.part();
      nextOrder.add(o.ingress());
      ownedKeys.add(part.key());
      found.addAll(part.findings());
      ObjectRef subject = ObjectRef.ingress(part.key());
      for (IngressRules.Rule rule : part.rules()) {
        Route route = rule.route();
        table
            .add(route)
            .ifPresent(
                winner ->
                    found.add(
                        Finding.warning(
                            subject,
                            "RuleConflict",
                            rule.where()
                                + " ("
                                + route.path().typeName()
                                + ") is already served by Ingress "
                                + winner.origin()
                                + ", which is older; this rule is ignored")));
      }
      for (Route fallback : part.fallbacks()) {
        table
            .fallback(fallback)
            .ifPresent(
                winner ->
                    found.add(
                        Finding.warning(
                            subject,
                            "DefaultBackendConflict",
                            "spec.defaultBackend for "
                                + (fallback.host().kind() == HostnamePattern.Kind.ANY
                                    ? "unmatched hosts"
                                    : "host " + fallback.host())
                                + " is already set by Ingress "
                                + winner.origin()
                                + ", which is older")));
      }
      if (o.ingress().getSpec() != null) {
        certificates.ingress(o.ingress());
      }
    }
    settings.defaultBackend().ifPresent(ref -> controllerDefault(ref, resolver, table, found));
    parts = kept;
    order = nextOrder;
    resolver.retain();
    ServedCertificates served = certificates.build();
    List<Finding> findings = new ArrayList<>(found);
    findings.addAll(certificates.findings());
    findings.sort(null);
    lastTable = table.build();
    return new Translation(
        lastTable,
        findings,
        ownedKeys,
        resolver.referencedServices(),
        certificates.referencedSecrets(),
        served);
  }

  private static void controllerDefault(
      TranslatorSettings.ServiceRef ref,
      BackendResolver resolver,
      RouteTable.Builder table,
      Set<Finding> found) {
    BackendResolver.Resolution resolution =
        resolver.resolve(ref.service(), ref.port().orElse(null));
    if (!resolution.ok()) {
      found.add(
          Finding.warning(
              new ObjectRef("Service", ref.service()),
              resolution.reason(),
              resolution.problem() + " (--default-backend " + ref + ")"));
    }
    table.defaultRoute(
        new Route(
            HostnamePattern.any(),
            PathMatch.prefix("/"),
            resolution.backend(),
            RouteOrigin.CONTROLLER_DEFAULT));
  }

  /** The time judged "now" for certificate validity. */
  Instant now() {
    return clock.instant();
  }
}
