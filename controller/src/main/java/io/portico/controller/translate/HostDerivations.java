package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.router.route.HostnamePattern;
import io.portico.router.route.Route;
import io.portico.router.route.RouteTableEdit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hosts of the routing table settled by {@link HostRules}, and the names they serve besides
 * their own ({@code server-alias}, {@code from-to-www-redirect}), kept from one translation to the
 * next so that only what changed is settled again.
 *
 * <p>A name that an Ingress serves itself (a rule or a {@code spec.defaultBackend} for it) stays
 * that Ingress's: an alias or www name never takes it over, and the host that asked for it gets a
 * warning. When two hosts ask for the same name, the one first in host order has it and the other
 * gets a warning. When the Ingress that served a name goes, the host that asked for it gets it.
 */
final class HostDerivations {

  /** Reason of the warning that a name another host asks for is not given to it. */
  static final String NAME_TAKEN = "HostNameTaken";

  // Which names each settled host asks for, and which hosts ask for each name.
  private final Map<HostnamePattern, Set<HostnamePattern>> wants = new HashMap<>();
  private final Map<HostnamePattern, Set<HostnamePattern>> wantedBy = new HashMap<>();
  // Which host each derived name is served for.
  private final Map<HostnamePattern, HostnamePattern> derivedFrom = new HashMap<>();
  // Findings about each settled host, and about each asked-for name.
  private final Map<HostnamePattern, List<Finding>> hostFindings = new HashMap<>();
  private final Map<HostnamePattern, List<Finding>> nameFindings = new HashMap<>();

  /**
   * Settles the hosts whose rules or default backend changed, and the names they (and the hosts
   * that ask for them) serve, into {@code edit}.
   */
  void apply(
      Set<HostnamePattern> changed,
      RuleClaimsStep.Claims claims,
      CanaryStep.Joins canaries,
      DefaultBackendsStep.Fallbacks fallbacks,
      RouteTableEdit edit) {
    Set<HostnamePattern> sources = new TreeSet<>(changed);
    for (HostnamePattern host : changed) {
      sources.addAll(wantedBy.getOrDefault(host, Set.of()));
    }
    Map<HostnamePattern, HostRules> settled = new HashMap<>();
    Set<HostnamePattern> names = new TreeSet<>();
    for (HostnamePattern host : sources) {
      Set<HostnamePattern> before = forget(host);
      names.addAll(before);
      if (isServed(host, claims, fallbacks)) {
        HostRules rules = HostRules.settle(host, canaries.joined(host, claims.winnersByAge(host)));
        settled.put(host, rules);
        edit.host(host, rules.routes(), fallbacks.of(host));
        remember(host, rules);
        names.addAll(rules.derivedNames());
      } else if (derivedFrom.containsKey(host)) {
        names.add(host);
      } else {
        edit.host(host, List.of(), null);
      }
    }
    for (HostnamePattern name : names) {
      settleName(name, claims, canaries, fallbacks, settled, edit);
    }
  }

  /** Every finding of the settled hosts and names, to report with each translation. */
  List<Finding> findings() {
    List<Finding> all = new ArrayList<>();
    hostFindings.values().forEach(all::addAll);
    nameFindings.values().forEach(all::addAll);
    return all;
  }

  private void settleName(
      HostnamePattern name,
      RuleClaimsStep.Claims claims,
      CanaryStep.Joins canaries,
      DefaultBackendsStep.Fallbacks fallbacks,
      Map<HostnamePattern, HostRules> settled,
      RouteTableEdit edit) {
    nameFindings.remove(name);
    Set<HostnamePattern> askers = new TreeSet<>(wantedBy.getOrDefault(name, Set.of()));
    if (isServed(name, claims, fallbacks)) {
      // An Ingress serves the name itself; its rules were set when it changed.
      derivedFrom.remove(name);
      List<Finding> found = new ArrayList<>();
      for (HostnamePattern asker : askers) {
        HostRules rules = rules(asker, claims, canaries, settled);
        found.add(
            taken(
                rules.ownerOf(name),
                name,
                asker,
                "an Ingress serves " + name + " itself, and it stays that Ingress's"));
      }
      nameFindings.put(name, found);
      return;
    }
    if (askers.isEmpty()) {
      if (derivedFrom.remove(name) != null) {
        edit.host(name, List.of(), null);
      }
      return;
    }
    HostnamePattern source = askers.iterator().next();
    HostRules rules = rules(source, claims, canaries, settled);
    derivedFrom.put(name, source);
    Route sourceFallback = fallbacks.of(source);
    edit.host(name, rules.routesOf(name, sourceFallback), rules.fallbackOf(name, sourceFallback));
    List<Finding> found = new ArrayList<>();
    for (HostnamePattern other : askers) {
      if (!other.equals(source)) {
        found.add(
            taken(
                rules(other, claims, canaries, settled).ownerOf(name),
                name,
                other,
                "host " + source + " asks for it too, and has it (the first host by name)"));
      }
    }
    nameFindings.put(name, found);
  }

  /** The rules of a host that asks for names, settled once per translation. */
  private static HostRules rules(
      HostnamePattern host,
      RuleClaimsStep.Claims claims,
      CanaryStep.Joins canaries,
      Map<HostnamePattern, HostRules> settled) {
    HostRules rules = settled.get(host);
    if (rules == null) {
      rules = HostRules.settle(host, canaries.joined(host, claims.winnersByAge(host)));
      settled.put(host, rules);
    }
    return rules;
  }

  private static boolean isServed(
      HostnamePattern host, RuleClaimsStep.Claims claims, DefaultBackendsStep.Fallbacks fallbacks) {
    return claims.hasRules(host) || fallbacks.of(host) != null;
  }

  private static Finding taken(
      OwnedIngress owner, HostnamePattern name, HostnamePattern host, String why) {
    return Finding.warning(
        ObjectRef.ingress(owner.key()),
        NAME_TAKEN,
        name + " (asked for host " + host + ") is not served for it: " + why);
  }

  /** Forgets what {@code host} asked for; returns those names. */
  private Set<HostnamePattern> forget(HostnamePattern host) {
    hostFindings.remove(host);
    Set<HostnamePattern> before = wants.remove(host);
    if (before == null) {
      return Set.of();
    }
    for (HostnamePattern name : before) {
      // Every name a host wants has that host among its askers.
      Set<HostnamePattern> askers = requireNonNull(wantedBy.get(name), "askers");
      askers.remove(host);
      if (askers.isEmpty()) {
        wantedBy.remove(name);
      }
    }
    return before;
  }

  private void remember(HostnamePattern host, HostRules rules) {
    if (!rules.findings().isEmpty()) {
      hostFindings.put(host, rules.findings());
    }
    Set<HostnamePattern> names = rules.derivedNames();
    if (names.isEmpty()) {
      return;
    }
    wants.put(host, names);
    for (HostnamePattern name : names) {
      wantedBy.computeIfAbsent(name, n -> new TreeSet<>()).add(host);
    }
  }
}
