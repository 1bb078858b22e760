package io.portico.router.route;

import java.util.Comparator;

/**
 * The rulebook: which rule answers a request when several could.
 *
 * <ol>
 *   <li><b>Host first.</b> The request's host (lower-cased, port and one trailing dot removed)
 *       selects one virtual host: the exact host if a rule names it; else the one-label wildcard
 *       ({@code *.example.com} for {@code a.example.com}, never for {@code a.b.example.com} or
 *       {@code example.com}); else the rules without a host. Paths are then matched only within
 *       that virtual host, as ingress-nginx and Envoy-based controllers do.
 *   <li><b>Then the path.</b> The longest matching path wins. An {@code Exact} rule matches the
 *       whole path, so when it matches it is the longest; on an equal path {@code Exact} beats
 *       {@code Prefix}. {@code Prefix} matches whole segments: {@code /foo} matches {@code
 *       /foo/bar} but not {@code /foobar}.
 *   <li><b>Then the fallback.</b> When no path matches, the virtual host's default backend answers:
 *       the {@code spec.defaultBackend} of the oldest Ingress that defines the host and has one,
 *       else the controller's {@code --default-backend}; with neither, Portico answers 404.
 *   <li><b>Conflicts.</b> Rules from several Ingresses for one host merge. Where two claim the same
 *       host, path and match type, the oldest Ingress (creation time, then namespace/name) keeps it
 *       and the other is reported. The translator adds routes oldest first, so the table simply
 *       keeps the first claim.
 * </ol>
 */
public final class RoutePrecedence {

  private RoutePrecedence() {}

  /**
   * Orders the routes of a table for display: by host (exact, wildcard, any; then by name), then in
   * the order a lookup prefers them ({@code Exact} before {@code Prefix}, longer paths first).
   */
  public static final Comparator<Route> DISPLAY_ORDER =
      Comparator.comparing(Route::host)
          .thenComparing(route -> route.path() instanceof PathMatch.Prefix)
          .thenComparing(route -> -route.path().path().length())
          .thenComparing(route -> route.path().path());
}
