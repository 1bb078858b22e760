package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code rule-claims}: the rules of all owned Ingresses merged. Each rule claims its host, path and
 * match type; the oldest Ingress's claim wins (then its first rule), and every other claim on the
 * same host, path and type gets a {@code RuleConflict} warning (see {@link
 * io.portico.router.route.RoutePrecedence}). Only the claims of the Ingresses that changed are
 * taken out and put in; the hosts whose winners may have changed are passed on to the routing
 * table.
 */
final class RuleClaimsStep implements TranslationStep {

  @Override
  public String name() {
    return "rule-claims";
  }

  @Override
  public void apply(TranslationRun run) {
    Claims claims = run.state().claims;
    for (IngressChange change : run.ingressChanges()) {
      if (change.before() != null) {
        claims.remove(change.before());
      }
      if (change.after() != null) {
        claims.add(change.after());
      }
    }
    claims.settle(run);
    claims.conflicts.values().forEach(conflicts -> conflicts.forEach(run::report));
  }

  /**
   * What two rules conflict on: host, match type and path ({@code Prefix /foo/} and {@code Prefix
   * /foo} claim the same paths).
   */
  private record RuleKey(HostnamePattern host, String type, String path) {
    static RuleKey of(Route route) {
      return new RuleKey(route.host(), route.path().typeName(), route.path().path());
    }
  }

  /** A winning rule and the Ingress it belongs to. */
  record Winner(OwnedIngress owner, Route route) {}

  /** A rule's claim on its host, path and type; the oldest Ingress's, then the first rule, wins. */
  private record Claim(OwnedIngress owner, int index, IngressRules.Rule rule) {
    static final Comparator<Claim> FIRST =
        (a, b) -> {
          int byOwner = OwnedIngress.OLDEST_FIRST.compare(a.owner(), b.owner());
          return byOwner != 0 ? byOwner : Integer.compare(a.index(), b.index());
        };
  }

  /** Every rule's claim, by host, path and type, and the conflicts among them. */
  static final class Claims {
    private final Map<RuleKey, List<Claim>> claims = new HashMap<>();
    private final Map<HostnamePattern, Set<RuleKey>> keysByHost = new HashMap<>();
    private final Map<RuleKey, List<Finding>> conflicts = new HashMap<>();
    // The claims this translation touched, settled at its end.
    private final Set<RuleKey> touched = new HashSet<>();

    /** The winning route of a host, path and type, or {@code null} when no rule claims it. */
    @Nullable Route winner(HostnamePattern host, PathMatch path) {
      List<Claim> list = claims.get(new RuleKey(host, path.typeName(), path.path()));
      return list == null ? null : list.get(0).rule().route();
    }

    /**
     * The winning rules of a host with their Ingresses, oldest Ingress first (then its rules in
     * order): the order in which host-wide annotations are looked for.
     */
    List<Winner> winnersByAge(HostnamePattern host) {
      Set<RuleKey> keys = keysByHost.getOrDefault(host, Set.of());
      List<Claim> firsts = new ArrayList<>(keys.size());
      for (RuleKey key : keys) {
        firsts.add(requireNonNull(claims.get(key), "claims").get(0));
      }
      firsts.sort(Claim.FIRST);
      List<Winner> winners = new ArrayList<>(firsts.size());
      for (Claim claim : firsts) {
        winners.add(new Winner(claim.owner(), claim.rule().route()));
      }
      return winners;
    }

    /** Whether any rule claims a path of {@code host}. */
    boolean hasRules(HostnamePattern host) {
      return keysByHost.containsKey(host);
    }

    private void add(OwnedIngress o) {
      List<IngressRules.Rule> rules = o.part().rules();
      for (int i = 0; i < rules.size(); i++) {
        RuleKey key = RuleKey.of(rules.get(i).route());
        List<Claim> list = claims.computeIfAbsent(key, k -> new ArrayList<>(1));
        list.add(new Claim(o, i, rules.get(i)));
        list.sort(Claim.FIRST);
        keysByHost.computeIfAbsent(key.host(), h -> new HashSet<>()).add(key);
        touched.add(key);
      }
    }

    private void remove(OwnedIngress o) {
      for (IngressRules.Rule rule : o.part().rules()) {
        RuleKey key = RuleKey.of(rule.route());
        List<Claim> list = claims.get(key);
        if (list == null) {
          continue; // an Ingress that lists one rule twice: gone with the first
        }
        list.removeIf(claim -> claim.owner() == o);
        if (list.isEmpty()) {
          claims.remove(key);
          Set<RuleKey> keys = requireNonNull(keysByHost.get(key.host()), "keys");
          keys.remove(key);
          if (keys.isEmpty()) {
            keysByHost.remove(key.host());
          }
        }
        touched.add(key);
      }
    }

    /** The conflicts of the touched claims, and their hosts passed on as changed. */
    private void settle(TranslationRun run) {
      for (RuleKey key : touched) {
        run.hostChanged(key.host());
        settle(key);
      }
      touched.clear();
    }

    private void settle(RuleKey key) {
      List<Claim> list = claims.get(key);
      if (list == null || list.size() < 2) {
        conflicts.remove(key);
        return;
      }
      Route winner = list.get(0).rule().route();
      // A set: an Ingress that lists a losing rule twice gets one warning for it.
      Set<Finding> found = new LinkedHashSet<>();
      for (Claim loser : list.subList(1, list.size())) {
        found.add(
            Finding.warning(
                ObjectRef.ingress(loser.owner().key()),
                "RuleConflict",
                loser.rule().where()
                    + " ("
                    + loser.rule().route().path().typeName()
                    + ") is already served by Ingress "
                    + winner.origin()
                    + ", which is older; this rule is ignored"));
      }
      conflicts.put(key, List.copyOf(found));
    }
  }
}
