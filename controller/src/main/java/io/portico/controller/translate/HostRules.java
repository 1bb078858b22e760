package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import io.portico.controller.annotations.IngressRouting;
import io.portico.router.policy.AppRootPolicy;
import io.portico.router.policy.HostRedirectPolicy;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the Ingresses of one host ask of the host as a whole, the way ingress-nginx applies them to
 * one nginx {@code server}: decided where their winning rules meet, oldest Ingress first.
 *
 * <ul>
 *   <li><b>Regex mode.</b> When any rule of the host is a regular expression ({@code use-regex}, or
 *       a {@code rewrite-target} that differs from its path), every path of the host is one: its
 *       rule path as written, case-insensitive, anchored at the start only, so {@code Exact /foo}
 *       also matches {@code /foobar}. A path that RE2 cannot read as an expression is matched as
 *       text. Each Ingress whose paths change so gets a notice.
 *   <li><b>{@code app-root}</b> of the oldest Ingress that sets it: the host gets an {@code Exact
 *       /} rule that answers with the redirect, before any other rule of the host.
 *   <li><b>{@code server-alias}</b> of the oldest Ingress that sets it: the names that serve every
 *       rule of the host.
 *   <li><b>{@code from-to-www-redirect}</b> of any Ingress of the host: the other name ({@code
 *       www.} added or removed) redirects to the host.
 * </ul>
 *
 * @param routes the host's rules, converted to regex mode when it is on, with the app-root rule
 * @param aliases the alias names, the host itself left out
 * @param aliasOwner the Ingress whose aliases they are, or {@code null}
 * @param www the name that redirects to the host, or {@code null}
 * @param wwwOwner the Ingress that asked for it, or {@code null}
 * @param wwwStatus the redirect's status
 * @param findings notices about the Ingresses whose paths regex mode changed
 */
record HostRules(
    HostnamePattern host,
    List<Route> routes,
    List<HostnamePattern> aliases,
    @Nullable OwnedIngress aliasOwner,
    @Nullable HostnamePattern www,
    @Nullable OwnedIngress wwwOwner,
    int wwwStatus,
    List<Finding> findings) {

  /** Reason of the notice that an Ingress's paths became regular expressions. */
  static final String REGEX_HOST = "RegexHost";

  /**
   * Settles one host.
   *
   * @param winners its winning rules, oldest Ingress first
   */
  static HostRules settle(HostnamePattern host, List<RuleClaimsStep.Winner> winners) {
    List<Finding> findings = new ArrayList<>();
    List<Route> routes = new ArrayList<>();
    RuleClaimsStep.Winner regexOwner = null;
    for (RuleClaimsStep.Winner winner : winners) {
      if (winner.route().path() instanceof PathMatch.Regex) {
        regexOwner = winner;
        break;
      }
    }
    if (regexOwner == null) {
      winners.forEach(winner -> routes.add(winner.route()));
    } else {
      Set<String> expressions = new HashSet<>();
      Set<OwnedIngress> changed = new LinkedHashSet<>();
      for (RuleClaimsStep.Winner winner : winners) {
        Route route = winner.route();
        PathMatch path = route.path();
        if (!(path instanceof PathMatch.Regex)) {
          path = asRegex(path.rulePath());
          changed.add(winner.owner());
        }
        // The oldest Ingress keeps an expression that two rules give, as the first of two equal
        // nginx locations does.
        if (expressions.add(path.path())) {
          routes.add(withPath(route, path));
        }
      }
      for (OwnedIngress owner : changed) {
        if (owner == regexOwner.owner()) {
          continue;
        }
        findings.add(
            Finding.notice(
                ObjectRef.ingress(owner.key()),
                REGEX_HOST,
                "its paths on host "
                    + host
                    + " are matched as regular expressions (case-insensitive, as prefixes):"
                    + " Ingress "
                    + regexOwner.owner().key()
                    + " uses use-regex or rewrite-target on that host"));
      }
    }
    for (RuleClaimsStep.Winner winner : winners) {
      String appRoot = winner.owner().part().routing().appRoot();
      if (appRoot != null) {
        Route any = winner.route();
        routes.removeIf(
            route -> route.path() instanceof PathMatch.Exact && route.path().path().equals("/"));
        routes.add(
            new Route(
                host,
                PathMatch.exact("/"),
                any.backend(),
                any.origin(),
                HttpsPolicy.NONE,
                RoutePolicies.of(new AppRootPolicy(appRoot))));
        break;
      }
    }
    List<HostnamePattern> aliases = new ArrayList<>();
    OwnedIngress aliasOwner = null;
    if (host.kind() != HostnamePattern.Kind.ANY) {
      for (RuleClaimsStep.Winner winner : winners) {
        List<HostnamePattern> asked = winner.owner().part().routing().serverAliases();
        if (!asked.isEmpty()) {
          aliasOwner = winner.owner();
          asked.stream().filter(alias -> !alias.equals(host)).forEach(aliases::add);
          break;
        }
      }
    }
    HostnamePattern www = null;
    OwnedIngress wwwOwner = null;
    int wwwStatus = HostRedirectPolicy.DEFAULT_STATUS;
    if (host.kind() == HostnamePattern.Kind.EXACT) {
      for (RuleClaimsStep.Winner winner : winners) {
        IngressRouting routing = winner.owner().part().routing();
        if (routing.fromToWwwRedirect()) {
          www = otherName(host);
          wwwOwner = www == null ? null : winner.owner();
          wwwStatus = routing.wwwRedirectStatus();
          break;
        }
      }
    }
    return new HostRules(
        host, List.copyOf(routes), aliases, aliasOwner, www, wwwOwner, wwwStatus, findings);
  }

  /** Every name this host wants to serve besides its own: its aliases and its www name. */
  Set<HostnamePattern> derivedNames() {
    Set<HostnamePattern> names = new LinkedHashSet<>(aliases);
    if (www != null) {
      names.add(www);
    }
    return names;
  }

  /** The Ingress that asked for {@code name}, one of {@link #derivedNames()}. */
  OwnedIngress ownerOf(HostnamePattern name) {
    return requireNonNull(aliases.contains(name) ? aliasOwner : wwwOwner, "owner");
  }

  /**
   * The rules of {@code name}, one of {@link #derivedNames()}: a copy of every rule of the host for
   * an alias, or one rule that redirects everything to the host.
   *
   * @param fallback the host's own default backend, or {@code null}
   */
  List<Route> routesOf(HostnamePattern name, @Nullable Route fallback) {
    if (aliases.contains(name)) {
      List<Route> copies = new ArrayList<>(routes.size());
      routes.forEach(route -> copies.add(withHost(route, name)));
      return copies;
    }
    Route any = routes.isEmpty() ? fallback : routes.get(0);
    if (any == null || wwwOwner == null) {
      return List.of();
    }
    return List.of(
        new Route(
            name,
            PathMatch.prefix("/"),
            any.backend(),
            new RouteOrigin(wwwOwner.key().namespace(), wwwOwner.key().name()),
            HttpsPolicy.NONE,
            RoutePolicies.of(new HostRedirectPolicy(host.value(), wwwStatus))));
  }

  /** The host's own default backend, for {@code name}: an alias has it too. */
  @Nullable Route fallbackOf(HostnamePattern name, @Nullable Route fallback) {
    return fallback != null && aliases.contains(name) ? withHost(fallback, name) : null;
  }

  /**
   * {@code www.} added to a host name, or removed from one that has it; {@code null} when that is
   * not a host name.
   */
  static @Nullable HostnamePattern otherName(HostnamePattern host) {
    String name = host.value();
    String other =
        name.toLowerCase(Locale.ROOT).startsWith("www.") ? name.substring(4) : "www." + name;
    try {
      HostnamePattern pattern = HostnamePattern.of(other);
      return pattern.kind() == HostnamePattern.Kind.EXACT ? pattern : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * A rule path as a regular expression; one that is not a valid RE2 expression is matched as text,
   * starting at {@code /}.
   */
  static PathMatch asRegex(String rulePath) {
    try {
      return PathMatch.regex(rulePath);
    } catch (IllegalArgumentException e) {
      return PathMatch.regex("/" + Pattern.quote(rulePath.substring(1)));
    }
  }

  private static Route withPath(Route route, PathMatch path) {
    if (path == route.path()) {
      return route;
    }
    return new Route(
        route.host(),
        path,
        route.backend(),
        route.origin(),
        route.https(),
        route.policies(),
        route.canaries(),
        route.mirror(),
        route.errorPages());
  }

  private static Route withHost(Route route, HostnamePattern host) {
    return new Route(
        host,
        route.path(),
        route.backend(),
        route.origin(),
        route.https(),
        route.policies(),
        route.canaries(),
        route.mirror(),
        route.errorPages());
  }
}
