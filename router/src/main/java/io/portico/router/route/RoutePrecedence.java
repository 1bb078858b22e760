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
 *   <li><b>Regular expressions</b> (ingress-nginx's {@code use-regex}, and {@code rewrite-target},
 *       which implies it; the translator then makes every path of the host one). A {@code Regex}
 *       rule matches a start of the path, ignoring case. After an {@code Exact} match, the host's
 *       regex rules are tried longest expression first (then the greater expression first), and the
 *       first that matches wins, even over a longer {@code Prefix}: nginx's order.
 *   <li><b>Trailing slashes.</b> On a host without regex rules, a rule written with a trailing
 *       slash ({@code /foo/}) answers {@code /foo} with a 301 to {@code /foo/}, unless an {@code
 *       Exact /foo} rule serves it.
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
   * the order a lookup tries them ({@code Exact}, {@code Regex}, then {@code Prefix}; longer paths
   * first).
   */
  public static final Comparator<Route> DISPLAY_ORDER =
      Comparator.comparing(Route::host).thenComparing(VirtualHost.ORDER);
}
