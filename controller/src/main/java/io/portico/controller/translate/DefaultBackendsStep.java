package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ObjectKey;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
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
 * {@code default-backends}: what serves a request no rule matches.
 *
 * <ul>
 *   <li>An Ingress's {@code spec.defaultBackend} claims each host of its rules, and the hosts no
 *       rule names; the oldest Ingress's claim wins and the others get a {@code
 *       DefaultBackendConflict} warning.
 *   <li>{@code --default-backend} serves whatever nothing else does; a Service that cannot be
 *       resolved gives a warning on the Service (and the route answers 503).
 * </ul>
 */
final class DefaultBackendsStep implements TranslationStep {

  @Override
  public String name() {
    return "default-backends";
  }

  @Override
  public void apply(TranslationRun run) {
    Fallbacks fallbacks = run.state().fallbacks;
    for (IngressChange change : run.ingressChanges()) {
      if (change.before() != null) {
        fallbacks.remove(change.before(), run);
      }
      if (change.after() != null) {
        fallbacks.add(change.after(), run);
      }
    }
    fallbacks.controllerDefault(run);
    fallbacks.conflicts.values().forEach(conflicts -> conflicts.forEach(run::report));
    if (fallbacks.controllerDefaultFinding != null) {
      run.report(fallbacks.controllerDefaultFinding);
    }
  }

  /** A {@code spec.defaultBackend}'s claim on a host; the oldest Ingress's wins. */
  private record Claim(OwnedIngress owner, Route route) {
    static final Comparator<Claim> FIRST =
        (a, b) -> OwnedIngress.OLDEST_FIRST.compare(a.owner(), b.owner());
  }

  /** The claims of {@code spec.defaultBackend} by host, and {@code --default-backend}. */
  static final class Fallbacks {
    private final Map<HostnamePattern, List<Claim>> claims = new HashMap<>();
    private final Map<HostnamePattern, List<Finding>> conflicts = new HashMap<>();
    private @Nullable Route controllerDefault;
    private @Nullable Finding controllerDefaultFinding;
    // The referenced Services with that of --default-backend, kept while the others stay the same.
    private @Nullable Set<ObjectKey> referencedWithout;
    private @Nullable Set<ObjectKey> referencedWith;

    /** The winning {@code spec.defaultBackend} route of a host, or {@code null}. */
    @Nullable Route of(HostnamePattern host) {
      List<Claim> list = claims.get(host);
      return list == null ? null : list.get(0).route();
    }

    /** The route of {@code --default-backend}, or {@code null} without one. */
    @Nullable Route controllerDefault() {
      return controllerDefault;
    }

    private void add(OwnedIngress o, TranslationRun run) {
      for (Route fallback : o.part().fallbacks()) {
        List<Claim> list = claims.computeIfAbsent(fallback.host(), h -> new ArrayList<>(1));
        list.add(new Claim(o, fallback));
        list.sort(Claim.FIRST);
        settle(fallback.host(), run);
      }
    }

    private void remove(OwnedIngress o, TranslationRun run) {
      for (Route fallback : o.part().fallbacks()) {
        List<Claim> list = claims.get(fallback.host());
        if (list == null) {
          continue;
        }
        list.removeIf(claim -> claim.owner() == o);
        if (list.isEmpty()) {
          claims.remove(fallback.host());
        }
        settle(fallback.host(), run);
      }
    }

    private void settle(HostnamePattern host, TranslationRun run) {
      run.hostChanged(host);
      List<Claim> list = claims.get(host);
      if (list == null || list.size() < 2) {
        conflicts.remove(host);
        return;
      }
      Route winner = list.get(0).route();
      Set<Finding> found = new LinkedHashSet<>();
      for (Claim loser : list.subList(1, list.size())) {
        found.add(
            Finding.warning(
                ObjectRef.ingress(loser.owner().key()),
                "DefaultBackendConflict",
                "spec.defaultBackend for "
                    + (host.kind() == HostnamePattern.Kind.ANY ? "unmatched hosts" : "host " + host)
                    + " is already set by Ingress "
                    + winner.origin()
                    + ", which is older"));
      }
      conflicts.put(host, List.copyOf(found));
    }

    /**
     * {@code --default-backend}, resolved again (cheaply: the resolution is memoised), and its
     * Service added to the referenced ones.
     */
    private void controllerDefault(TranslationRun run) {
      if (run.settings().defaultBackend().isEmpty()) {
        return;
      }
      TranslatorSettings.ServiceRef ref = run.settings().defaultBackend().get();
      BackendResolver.Resolution resolution =
          run.resolver().resolve(ref.service(), ref.port().orElse(null));
      controllerDefaultFinding =
          resolution.ok()
              ? null
              : Finding.warning(
                  new ObjectRef("Service", ref.service()),
                  requireNonNull(resolution.reason(), "reason"),
                  resolution.problem() + " (--default-backend " + ref + ")");
      Route route =
          new Route(
              HostnamePattern.any(),
              PathMatch.prefix("/"),
              resolution.backend(),
              RouteOrigin.CONTROLLER_DEFAULT);
      if (!route.equals(controllerDefault)) {
        controllerDefault = route;
        run.defaultRouteChanged();
      }
      Set<ObjectKey> others = run.referencedServices();
      if (others != referencedWithout) {
        Set<ObjectKey> all = new HashSet<>(others);
        all.add(ref.service());
        referencedWithout = others;
        referencedWith = Set.copyOf(all);
      }
      run.referencedServices(requireNonNull(referencedWith, "referencedWith"));
    }
  }
}
