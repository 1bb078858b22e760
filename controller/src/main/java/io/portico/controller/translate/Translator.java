package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.portico.router.balance.AffinityKey;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableEdit;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
 * <p>A translator remembers its last translation (a memo, as for parsed Secrets: the result is
 * always what translating from scratch gives) and, when the next snapshot was derived from the last
 * one, works from what changed between them: the Ingresses that are other objects, and the
 * Ingresses that name a Service whose object, EndpointSlices or Endpoints changed. For each such
 * Ingress it takes its old rules out and its new rules in; the oldest claim on each host, path and
 * type wins as before, and only the hosts whose winners or defaults changed are rebuilt in the
 * routing table ({@link RouteTable#edit()}). So a change costs in proportion to what it touches,
 * not to the size of the cluster. A new IngressClass, or a snapshot not derived from the last one,
 * starts from scratch. This relies on sources replacing an object that changes rather than
 * modifying it, which both sources do (and {@link ClusterSnapshot} requires). Translations run one
 * at a time.
 */
public final class Translator {

  private final TranslatorSettings settings;
  private final Clock clock;
  private final AffinityKey affinityKey;
  private final TlsInputs tls;
  private State state;

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
    if (state == null || !snapshot.sameIngressClasses(state.snapshot)) {
      // Ownership may have changed for any Ingress: start from nothing.
      state = new State(snapshot);
      state.apply(snapshot, allIngresses(snapshot), Set.of());
    } else {
      state.apply(
          snapshot,
          snapshot.ingressesChangedSince(state.snapshot),
          snapshot.servicesChangedSince(state.snapshot));
    }
    return state.translation(snapshot);
  }

  private static Set<ObjectKey> allIngresses(ClusterSnapshot snapshot) {
    Set<ObjectKey> keys = new HashSet<>();
    snapshot.ingresses().forEach(ingress -> keys.add(ObjectKey.of(ingress)));
    return keys;
  }

  /** The time judged "now" for certificate validity. */
  Instant now() {
    return clock.instant();
  }

  /** An owned Ingress and what its rules gave. */
  private record Owned(Ingress ingress, IngressRules.Part part) {
    static final Comparator<Owned> OLDEST_FIRST =
        (a, b) -> {
          int byAge = a.part().created().compareTo(b.part().created());
          return byAge != 0 ? byAge : a.part().key().compareTo(b.part().key());
        };

    boolean hasTls() {
      return ingress.getSpec() != null
          && ingress.getSpec().getTls() != null
          && !ingress.getSpec().getTls().isEmpty();
    }
  }

  /** A rule's claim on its host, path and type; the oldest Ingress's, then the first rule, wins. */
  private record Claim(Owned owner, int index, IngressRules.Rule rule) {
    static final Comparator<Claim> FIRST =
        (a, b) -> {
          int byOwner = Owned.OLDEST_FIRST.compare(a.owner(), b.owner());
          return byOwner != 0 ? byOwner : Integer.compare(a.index(), b.index());
        };
  }

  /** A {@code spec.defaultBackend}'s claim on a host; the oldest Ingress's wins. */
  private record FallbackClaim(Owned owner, Route route) {
    static final Comparator<FallbackClaim> FIRST =
        (a, b) -> Owned.OLDEST_FIRST.compare(a.owner(), b.owner());
  }

  /** What two rules conflict on: host, path and match type. */
  private record RuleKey(HostnamePattern host, PathMatch path) {
    static RuleKey of(Route route) {
      return new RuleKey(route.host(), route.path());
    }
  }

  /** Everything the last translation knew, kept to work from the next snapshot's changes. */
  private final class State {
    private ClusterSnapshot snapshot;
    private final BackendResolver.Memo resolutions = new BackendResolver.Memo();
    private final Map<ObjectKey, Owned> owned = new HashMap<>();
    // Owned Ingresses oldest first, and their keys in the same order.
    private final List<Owned> order = new ArrayList<>();
    private final List<ObjectKey> orderKeys = new ArrayList<>();
    private final List<Owned> withTls = new ArrayList<>();
    private final Map<RuleKey, List<Claim>> claims = new HashMap<>();
    private final Map<HostnamePattern, Set<RuleKey>> keysByHost = new HashMap<>();
    private final Map<HostnamePattern, List<FallbackClaim>> fallbackClaims = new HashMap<>();
    private final Map<RuleKey, List<Finding>> ruleConflicts = new HashMap<>();
    private final Map<HostnamePattern, List<Finding>> fallbackConflicts = new HashMap<>();
    private final Set<Owned> withFindings = Collections.newSetFromMap(new IdentityHashMap<>());
    // Which owned Ingresses name each Service (for changes to it), and how many.
    private final Map<ObjectKey, Set<ObjectKey>> dependents = new HashMap<>();
    private Set<ObjectKey> referencedServices = Set.of();
    private boolean referencesChanged = true;
    private RouteTable table;
    private Route defaultRoute;
    private Finding defaultFinding;
    // The hosts and rule keys the current apply() touched.
    private final Set<RuleKey> dirtyKeys = new HashSet<>();
    private final Set<HostnamePattern> dirtyHosts = new HashSet<>();
    // Services that lost their last Ingress during apply(); forgotten after it, unless one came
    // back.
    private final Set<ObjectKey> orphaned = new HashSet<>();

    State(ClusterSnapshot snapshot) {
      this.snapshot = snapshot;
      this.table = RouteTable.empty(affinityKey);
    }

    /** Brings the state to {@code next}: these Ingresses and these Services changed. */
    void apply(
        ClusterSnapshot next, Set<ObjectKey> changedIngresses, Set<ObjectKey> changedServices) {
      snapshot = next;
      IngressOwnership ownership = new IngressOwnership(next, settings);
      BackendResolver resolver =
          new BackendResolver(next, resolutions, settings.allowExternalNameServices());
      Set<ObjectKey> affected = new HashSet<>(changedIngresses);
      for (ObjectKey service : changedServices) {
        affected.addAll(dependents.getOrDefault(service, Set.of()));
      }
      for (ObjectKey key : affected) {
        Owned before = owned.get(key);
        Ingress ingress = next.ingress(key);
        Owned after = null;
        if (ingress != null && ownership.owns(ingress)) {
          if (before != null && before.ingress() == ingress && before.part().stillValid(resolver)) {
            continue;
          }
          after = new Owned(ingress, IngressRules.of(ingress, resolver));
        }
        if (before != null) {
          remove(before);
        }
        if (after != null) {
          add(after);
        }
      }
      for (ObjectKey service : orphaned) {
        resolutions.forget(service);
        referencesChanged = true;
      }
      orphaned.clear();
      dirtyKeys.forEach(this::settle);
      dirtyKeys.clear();
      Route before = defaultRoute;
      defaultBackend(resolver);
      if (!dirtyHosts.isEmpty() || defaultRoute != before) {
        RouteTableEdit edit = table.edit().defaultRoute(defaultRoute);
        for (HostnamePattern host : dirtyHosts) {
          edit.host(host, winners(host), fallbackOf(host));
        }
        dirtyHosts.clear();
        table = edit.build();
      }
    }

    private void add(Owned o) {
      owned.put(o.part().key(), o);
      int at = insertionPoint(o);
      order.add(at, o);
      orderKeys.add(at, o.part().key());
      if (o.hasTls()) {
        int tlsAt = Collections.binarySearch(withTls, o, Owned.OLDEST_FIRST);
        withTls.add(tlsAt >= 0 ? tlsAt : -tlsAt - 1, o);
      }
      if (!o.part().findings().isEmpty()) {
        withFindings.add(o);
      }
      List<IngressRules.Rule> rules = o.part().rules();
      for (int i = 0; i < rules.size(); i++) {
        RuleKey key = RuleKey.of(rules.get(i).route());
        List<Claim> list = claims.computeIfAbsent(key, k -> new ArrayList<>(1));
        list.add(new Claim(o, i, rules.get(i)));
        list.sort(Claim.FIRST);
        keysByHost.computeIfAbsent(key.host(), h -> new HashSet<>()).add(key);
        touch(key);
      }
      for (Route fallback : o.part().fallbacks()) {
        List<FallbackClaim> list =
            fallbackClaims.computeIfAbsent(fallback.host(), h -> new ArrayList<>(1));
        list.add(new FallbackClaim(o, fallback));
        list.sort(FallbackClaim.FIRST);
        settleFallback(fallback.host());
      }
      for (ObjectKey service : services(o)) {
        Set<ObjectKey> users = dependents.computeIfAbsent(service, s -> new HashSet<>());
        if (users.isEmpty() && !orphaned.remove(service)) {
          referencesChanged = true;
        }
        users.add(o.part().key());
      }
    }

    private void remove(Owned o) {
      owned.remove(o.part().key());
      int at = Collections.binarySearch(order, o, Owned.OLDEST_FIRST);
      order.remove(at);
      orderKeys.remove(at);
      if (o.hasTls()) {
        withTls.remove(Collections.binarySearch(withTls, o, Owned.OLDEST_FIRST));
      }
      withFindings.remove(o);
      for (IngressRules.Rule rule : o.part().rules()) {
        RuleKey key = RuleKey.of(rule.route());
        List<Claim> list = claims.get(key);
        if (list == null) {
          continue; // an Ingress that lists one rule twice: gone with the first
        }
        list.removeIf(claim -> claim.owner() == o);
        if (list.isEmpty()) {
          claims.remove(key);
          Set<RuleKey> keys = keysByHost.get(key.host());
          keys.remove(key);
          if (keys.isEmpty()) {
            keysByHost.remove(key.host());
          }
        }
        touch(key);
      }
      for (Route fallback : o.part().fallbacks()) {
        List<FallbackClaim> list = fallbackClaims.get(fallback.host());
        if (list == null) {
          continue;
        }
        list.removeIf(claim -> claim.owner() == o);
        if (list.isEmpty()) {
          fallbackClaims.remove(fallback.host());
        }
        settleFallback(fallback.host());
      }
      for (ObjectKey service : services(o)) {
        Set<ObjectKey> users = dependents.get(service);
        users.remove(o.part().key());
        if (users.isEmpty()) {
          dependents.remove(service);
          orphaned.add(service);
        }
      }
    }

    private int insertionPoint(Owned o) {
      int at = Collections.binarySearch(order, o, Owned.OLDEST_FIRST);
      return at >= 0 ? at : -at - 1;
    }

    private Set<ObjectKey> services(Owned o) {
      Set<ObjectKey> services = new HashSet<>();
      o.part().dependencies().forEach(d -> services.add(d.service()));
      return services;
    }

    private void touch(RuleKey key) {
      dirtyKeys.add(key);
      dirtyHosts.add(key.host());
    }

    /** The conflict findings of one host, path and type, from its claims. */
    private void settle(RuleKey key) {
      List<Claim> list = claims.get(key);
      if (list == null || list.size() < 2) {
        ruleConflicts.remove(key);
        return;
      }
      Route winner = list.get(0).rule().route();
      List<Finding> conflicts = new ArrayList<>(list.size() - 1);
      for (Claim loser : list.subList(1, list.size())) {
        conflicts.add(
            Finding.warning(
                ObjectRef.ingress(loser.owner().part().key()),
                "RuleConflict",
                loser.rule().where()
                    + " ("
                    + loser.rule().route().path().typeName()
                    + ") is already served by Ingress "
                    + winner.origin()
                    + ", which is older; this rule is ignored"));
      }
      ruleConflicts.put(key, conflicts);
    }

    private void settleFallback(HostnamePattern host) {
      dirtyHosts.add(host);
      List<FallbackClaim> list = fallbackClaims.get(host);
      if (list == null || list.size() < 2) {
        fallbackConflicts.remove(host);
        return;
      }
      Route winner = list.get(0).route();
      List<Finding> conflicts = new ArrayList<>(list.size() - 1);
      for (FallbackClaim loser : list.subList(1, list.size())) {
        conflicts.add(
            Finding.warning(
                ObjectRef.ingress(loser.owner().part().key()),
                "DefaultBackendConflict",
                "spec.defaultBackend for "
                    + (host.kind() == HostnamePattern.Kind.ANY ? "unmatched hosts" : "host " + host)
                    + " is already set by Ingress "
                    + winner.origin()
                    + ", which is older"));
      }
      fallbackConflicts.put(host, conflicts);
    }

    private List<Route> winners(HostnamePattern host) {
      Set<RuleKey> keys = keysByHost.getOrDefault(host, Set.of());
      List<Route> routes = new ArrayList<>(keys.size());
      for (RuleKey key : keys) {
        routes.add(claims.get(key).get(0).rule().route());
      }
      return routes;
    }

    private Route fallbackOf(HostnamePattern host) {
      List<FallbackClaim> list = fallbackClaims.get(host);
      return list == null ? null : list.get(0).route();
    }

    /** {@code --default-backend}, resolved again (cheaply: the resolution is memoised). */
    private void defaultBackend(BackendResolver resolver) {
      if (settings.defaultBackend().isEmpty()) {
        return;
      }
      TranslatorSettings.ServiceRef ref = settings.defaultBackend().get();
      BackendResolver.Resolution resolution =
          resolver.resolve(ref.service(), ref.port().orElse(null));
      defaultFinding =
          resolution.ok()
              ? null
              : Finding.warning(
                  new ObjectRef("Service", ref.service()),
                  resolution.reason(),
                  resolution.problem() + " (--default-backend " + ref + ")");
      Route route =
          new Route(
              HostnamePattern.any(),
              PathMatch.prefix("/"),
              resolution.backend(),
              RouteOrigin.CONTROLLER_DEFAULT);
      if (!route.equals(defaultRoute)) {
        defaultRoute = route;
      }
    }

    Translation translation(ClusterSnapshot next) {
      CertificateStep certificates = new CertificateStep(next, tls, now());
      for (Owned o : withTls) {
        certificates.ingress(o.ingress());
      }
      ServedCertificates served = certificates.build();
      Set<Finding> found = new LinkedHashSet<>();
      for (Owned o : withFindings) {
        found.addAll(o.part().findings());
      }
      ruleConflicts.values().forEach(found::addAll);
      fallbackConflicts.values().forEach(found::addAll);
      if (defaultFinding != null) {
        found.add(defaultFinding);
      }
      List<Finding> findings = new ArrayList<>(found);
      findings.addAll(certificates.findings());
      findings.sort(null);
      if (referencesChanged) {
        List<ObjectKey> services = new ArrayList<>(dependents.keySet());
        settings.defaultBackend().ifPresent(ref -> services.add(ref.service()));
        referencedServices = Set.copyOf(services);
        referencesChanged = false;
      }
      return new Translation(
          table, findings, orderKeys, referencedServices, certificates.referencedSecrets(), served);
    }
  }
}
