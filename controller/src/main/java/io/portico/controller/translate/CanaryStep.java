package io.portico.controller.translate;

import io.portico.controller.annotations.CanarySpec;
import io.portico.router.balance.BackendPolicy;
import io.portico.router.policy.CanaryMatch;
import io.portico.router.policy.CanaryPolicy;
import io.portico.router.route.Backend;
import io.portico.router.route.Canaries;
import io.portico.router.route.Canary;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code canaries}: the rules of canary Ingresses joined to the rules they stand beside. A canary
 * rule joins the rule that serves the same host, path and path type (the winner of {@code
 * rule-claims}) when that rule's Ingress is in the canary's namespace; a canary rule that joins
 * nothing is not served at all, with a {@code CanaryWithoutMain} warning. A rule may have several
 * canaries: they are asked in the order of their Ingresses, oldest first (creation time, then
 * namespace and name), as rule conflicts are decided.
 *
 * <p>Only the rule gets the canary: the canary's Service stays an ordinary backend of any other
 * rule that names it, and the main Service of other rules is untouched (unlike ingress-nginx, where
 * a canary attaches to the main Service itself).
 *
 * <p>Weights: the rule counts over the largest weight total of its canaries; a weight given over a
 * smaller total is scaled to it. Weights that add up to more than the total are cut, in canary
 * order, with a warning. With {@code affinity-canary-behavior: sticky} (the default) the canary's
 * backend takes the main backend's session affinity, so that a session that starts on the canary
 * stays there.
 *
 * <p>A joined rule equal to the one joined last keeps that object, and so its weight counter: a
 * change elsewhere on the host does not restart the window over which the weights are exact.
 */
final class CanaryStep implements TranslationStep {

  @Override
  public String name() {
    return "canaries";
  }

  @Override
  public void apply(TranslationRun run) {
    Joins joins = run.state().canaries;
    for (IngressChange change : run.ingressChanges()) {
      if (change.before() != null) {
        joins.remove(change.before(), run);
      }
      if (change.after() != null) {
        joins.add(change.after(), run);
      }
    }
    for (HostnamePattern host : run.changedHosts()) {
      joins.settle(host, run.state().claims);
    }
    joins.findings.values().forEach(findings -> findings.forEach(run::report));
  }

  /** A canary rule's claim to join a rule; the oldest Ingress's is asked first. */
  private record Claim(OwnedIngress owner, int index, IngressRules.CanaryRule rule) {
    static final Comparator<Claim> FIRST =
        (a, b) -> {
          int byOwner = OwnedIngress.OLDEST_FIRST.compare(a.owner(), b.owner());
          return byOwner != 0 ? byOwner : Integer.compare(a.index(), b.index());
        };
  }

  /** A winning rule, and that rule with its canaries. */
  private record Joined(Route winner, Route route) {}

  /** The canary claims by host and path, and the rules they joined. */
  static final class Joins {
    private final Map<HostnamePattern, Map<PathMatch, List<Claim>>> claims = new HashMap<>();
    private final Map<HostnamePattern, Map<PathMatch, Joined>> joined = new HashMap<>();
    private final Map<HostnamePattern, List<Finding>> findings = new HashMap<>();

    /** The winning rules of a host as they serve, each with its canaries, in the same order. */
    List<RuleClaimsStep.Winner> joined(HostnamePattern host, List<RuleClaimsStep.Winner> winners) {
      Map<PathMatch, Joined> ofHost = joined.get(host);
      if (ofHost == null) {
        return winners;
      }
      List<RuleClaimsStep.Winner> routes = new ArrayList<>(winners.size());
      for (RuleClaimsStep.Winner winner : winners) {
        Joined join = ofHost.get(winner.route().path());
        routes.add(
            join != null && join.winner().equals(winner.route())
                ? new RuleClaimsStep.Winner(winner.owner(), join.route())
                : winner);
      }
      return routes;
    }

    private void add(OwnedIngress o, TranslationRun run) {
      List<IngressRules.CanaryRule> rules = o.part().canaryRules();
      for (int i = 0; i < rules.size(); i++) {
        Route route = rules.get(i).route();
        List<Claim> list =
            claims
                .computeIfAbsent(route.host(), h -> new HashMap<>())
                .computeIfAbsent(route.path(), p -> new ArrayList<>(1));
        list.add(new Claim(o, i, rules.get(i)));
        list.sort(Claim.FIRST);
        run.hostChanged(route.host());
      }
    }

    private void remove(OwnedIngress o, TranslationRun run) {
      for (IngressRules.CanaryRule rule : o.part().canaryRules()) {
        Route route = rule.route();
        Map<PathMatch, List<Claim>> ofHost = claims.get(route.host());
        List<Claim> list = ofHost == null ? null : ofHost.get(route.path());
        if (ofHost == null || list == null) {
          continue; // a canary that lists one rule twice: gone with the first
        }
        list.removeIf(claim -> claim.owner() == o);
        if (list.isEmpty()) {
          ofHost.remove(route.path());
          if (ofHost.isEmpty()) {
            claims.remove(route.host());
          }
        }
        run.hostChanged(route.host());
      }
    }

    /** Joins the canaries of a host whose rules or canaries changed. */
    private void settle(HostnamePattern host, RuleClaimsStep.Claims rules) {
      Map<PathMatch, List<Claim>> ofHost = claims.get(host);
      Map<PathMatch, Joined> before = joined.getOrDefault(host, Map.of());
      if (ofHost == null) {
        joined.remove(host);
        findings.remove(host);
        return;
      }
      Map<PathMatch, Joined> after = new LinkedHashMap<>();
      Set<Finding> found = new LinkedHashSet<>();
      for (Map.Entry<PathMatch, List<Claim>> entry : ofHost.entrySet()) {
        Route winner = rules.winner(host, entry.getKey());
        Route route = join(winner, entry.getValue(), found);
        if (route == null || winner == null) {
          continue;
        }
        Joined last = before.get(entry.getKey());
        // An equal rule keeps its object, and so the weight counter of its canary policy.
        after.put(
            entry.getKey(),
            new Joined(winner, last != null && last.route().equals(route) ? last.route() : route));
      }
      if (after.isEmpty()) {
        joined.remove(host);
      } else {
        joined.put(host, after);
      }
      if (found.isEmpty()) {
        findings.remove(host);
      } else {
        findings.put(host, List.copyOf(found));
      }
    }

    /** The winner with the canaries that may join it, or {@code null} when none may. */
    private static @Nullable Route join(
        @Nullable Route winner, List<Claim> candidates, Set<Finding> found) {
      List<Claim> joining = new ArrayList<>();
      Set<List<Object>> backends = new HashSet<>();
      for (Claim claim : candidates) {
        IngressRules.CanaryRule rule = claim.rule();
        String problem = problem(winner, rule);
        if (problem == null
            && !backends.add(List.of(claim.owner().key(), rule.route().backend().id()))) {
          continue; // a canary Ingress naming one backend twice on one rule: once is enough
        }
        if (problem == null && joining.size() == CanaryPolicy.MAX_CANARIES) {
          problem = "the rule has " + CanaryPolicy.MAX_CANARIES + " canaries already";
        }
        if (problem != null) {
          found.add(
              Finding.warning(
                  ObjectRef.ingress(claim.owner().key()),
                  "CanaryWithoutMain",
                  rule.where()
                      + " ("
                      + rule.route().path().typeName()
                      + ") is not served: "
                      + problem));
          continue;
        }
        joining.add(claim);
      }
      if (joining.isEmpty() || winner == null) {
        return null;
      }
      int total = 0;
      for (Claim claim : joining) {
        total = Math.max(total, claim.rule().spec().weightTotal());
      }
      List<Canary> canaries = new ArrayList<>(joining.size());
      long left = total;
      for (Claim claim : joining) {
        IngressRules.CanaryRule rule = claim.rule();
        CanarySpec spec = rule.spec();
        long scaled = (long) spec.match().weight() * total / spec.weightTotal();
        if (scaled * spec.weightTotal() != (long) spec.match().weight() * total) {
          found.add(
              weightWarning(
                  claim,
                  "its weight "
                      + spec.match().weight()
                      + " of "
                      + spec.weightTotal()
                      + " is not a whole number of "
                      + total
                      + ", the total of the rule's canaries; using "
                      + scaled));
        }
        if (scaled > left) {
          found.add(
              weightWarning(
                  claim,
                  "the weights of the rule's canaries add up to more than "
                      + total
                      + "; using "
                      + left
                      + ", what the canaries before it leave"));
          scaled = left;
        }
        left -= scaled;
        CanaryMatch match = spec.match();
        if (scaled != match.weight()) {
          match = new CanaryMatch(match.header(), match.cookie(), (int) scaled);
        }
        canaries.add(
            new Canary(
                backend(rule.route().backend(), winner.backend(), spec.sticky()),
                rule.route().origin(),
                match));
      }
      return winner.withCanaries(new Canaries(canaries, total));
    }

    /** Why a canary rule cannot join the winner, or {@code null} when it can. */
    private static @Nullable String problem(@Nullable Route winner, IngressRules.CanaryRule rule) {
      if (winner == null) {
        return "no Ingress serves this host, path and path type, and a canary is never served on"
            + " its own";
      }
      String namespace = rule.route().origin().namespace();
      if (!winner.origin().namespace().equals(namespace)) {
        return "the rule is served by Ingress "
            + winner.origin()
            + ", and a canary only joins rules of its own namespace ("
            + namespace
            + ")";
      }
      if (winner.backend().id().equals(rule.route().backend().id())) {
        return "its backend "
            + rule.route().backend().id()
            + " is the main backend of the rule it would join";
      }
      return null;
    }

    /**
     * The canary's backend: with {@code sticky}, the main backend's session affinity (none when the
     * main backend has none) and the canary's own balancing, as ingress-nginx copies the main
     * backend's affinity to the canary's; with {@code legacy}, its own policy.
     */
    private static Backend backend(Backend canary, Backend main, boolean sticky) {
      if (!sticky) {
        return canary;
      }
      return canary.withPolicy(
          new BackendPolicy(canary.policy().loadBalancing(), main.policy().affinity()));
    }

    private static Finding weightWarning(Claim claim, String message) {
      return Finding.warning(
          ObjectRef.ingress(claim.owner().key()),
          "CanaryWeight",
          claim.rule().where() + ": " + message);
    }
  }
}
