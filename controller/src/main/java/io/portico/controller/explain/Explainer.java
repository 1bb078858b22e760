package io.portico.controller.explain;

import static java.util.Objects.requireNonNull;

import io.portico.controller.annotations.AnnotationVerdict;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.translate.Finding;
import io.portico.controller.translate.IngressAnnotations;
import io.portico.controller.translate.RefusedIngress;
import io.portico.controller.translate.ServedCertificates;
import io.portico.controller.translate.Translation;
import io.portico.router.policy.CanaryPolicy;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.route.Canaries;
import io.portico.router.route.Canary;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.ListenerKey;
import io.portico.router.route.PathMatch;
import io.portico.router.route.RequestPaths;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTarget;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Explains what Portico does with a URL: the host rules it selects, the rule that matches and why
 * the others on that host do not, the backend and its endpoints, and the warnings about the objects
 * involved, what became of the matching Ingress's annotations, and the Ingresses on the host that
 * are refused. The match itself is the routing table's own lookup; the explanation only adds
 * reasons.
 */
public final class Explainer {

  private final RouteTable routes;
  private final List<Finding> findings;
  private final @Nullable ServedCertificates certificates;
  private final IngressAnnotations annotations;

  /** An explainer that says nothing about certificates or annotations. */
  public Explainer(RouteTable routes, List<Finding> findings) {
    this(routes, findings, null, IngressAnnotations.NONE);
  }

  /**
   * @param certificates the certificates serving with {@code routes}, to say which one an {@code
   *     https} URL's handshake gets; {@code null} to say nothing about certificates
   * @param annotations what became of the annotations of the Ingresses of {@code routes}
   */
  public Explainer(
      RouteTable routes,
      List<Finding> findings,
      @Nullable ServedCertificates certificates,
      IngressAnnotations annotations) {
    this.routes = requireNonNull(routes, "routes");
    this.findings = List.copyOf(findings);
    this.certificates = certificates;
    this.annotations = requireNonNull(annotations, "annotations");
  }

  /** An explainer of what a translation serves. */
  public static Explainer of(Translation translation) {
    return new Explainer(
        translation.routes(),
        translation.findings(),
        translation.certificates(),
        translation.annotations());
  }

  /**
   * Explains a URL such as {@code https://app.test/app1/x} (without a scheme, {@code http} is
   * assumed).
   *
   * @throws IllegalArgumentException when the text is not a URL with a host
   */
  public Explanation explain(String url) {
    return explain(url, ExplainedRequest.NONE);
  }

  /**
   * Explains a URL requested with these headers and cookies, which decide among a rule's canaries.
   *
   * @throws IllegalArgumentException when the text is not a URL with a host
   */
  public Explanation explain(String url, ExplainedRequest request) {
    URI uri = parse(url);
    String host = HostnamePattern.normalizeRequestHost(uri.getHost());
    String rawPath =
        uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String path = RequestPaths.normalize(rawPath);
    StringBuilder out = new StringBuilder();
    line(
        out,
        "request",
        uri.getScheme()
            + "://"
            + uri.getRawAuthority()
            + rawPath
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
            + (request.isEmpty() ? "" : " with " + request.describe()));
    if (path == null) {
      line(out, "result", "400 Bad Request: the path is not valid (" + rawPath + ")");
      return new Explanation(false, out.toString());
    }
    boolean secure = "https".equalsIgnoreCase(uri.getScheme());
    if (secure && certificates != null) {
      line(out, "tls", certificates.explain(host));
    }
    ListenerKey listener = secure ? ListenerKey.HTTPS : ListenerKey.HTTP;
    boolean gatewayApi = routes.gatewayClaims(listener, host);
    HostnamePattern selected = routes.hostFor(host);
    line(
        out,
        "host",
        host + " -> " + (gatewayApi ? "the Gateway API rules for it" : describe(selected)));
    line(out, "path", path.equals(rawPath) ? path : path + " (normalised from " + rawPath + ")");
    if (gatewayApi) {
      boolean matched =
          GatewayApiExplanation.explain(
              out, routes, findings, listener, host, path, uri.getRawQuery());
      if (!matched) {
        out.insert(0, "no rule matches " + url + "\n");
      }
      return new Explanation(matched, out.toString());
    }

    RouteTarget target = routes.match(host, path);
    List<Route> hostRules =
        routes.routes().stream().filter(r -> r.host().equals(selected)).toList();
    if (target == null) {
      out.insert(0, "no rule matches " + url + "\n");
      line(out, "result", "404 from Portico: no rule matches and no default backend applies");
      refused(out, host, selected);
      nearest(out, host, path, hostRules);
      return new Explanation(false, out.toString());
    }
    Route route = target.route();
    if (target.fallback()) {
      line(
          out,
          "match",
          "no path matched; the default backend answers ("
              + (route.origin().namespace().isEmpty()
                  ? route.origin().name()
                  : "spec.defaultBackend of Ingress " + route.origin())
              + ")");
    } else {
      line(
          out,
          "match",
          route.path().typeName() + " " + route.path().path() + " from Ingress " + route.origin());
    }
    https(out, route, secure, path);
    backend(out, route);
    canaries(out, route, request.asPolicyRequest(host, path, secure));
    route
        .mirror()
        .ifPresent(
            mirror ->
                line(
                    out,
                    "mirror",
                    "a copy goes to Service "
                        + mirror.backend().id()
                        + " ("
                        + mirror
                            .copy()
                            .uri(
                                rawPath
                                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                                uri.getRawQuery())
                        + ", Host "
                        + mirror.copy().host()
                        + (mirror.copy().body() ? "" : ", without the body")
                        + "); its answer is discarded"));
    annotations(out, route);
    others(out, path, route, target.fallback(), hostRules);
    refused(out, host, selected);
    warnings(out, route);
    return new Explanation(true, out.toString());
  }

  /** What became of the annotations of the Ingress the route comes from, and of its canaries'. */
  private void annotations(StringBuilder out, Route route) {
    annotations(out, route.origin(), "annotations:\n");
    for (Canary canary : route.canaries().canaries()) {
      annotations(out, canary.origin(), "annotations of canary Ingress " + canary.origin() + ":\n");
    }
  }

  private void annotations(StringBuilder out, RouteOrigin origin, String title) {
    if (origin.namespace().isEmpty()) {
      return;
    }
    AnnotationVerdict verdict = annotations.of(new ObjectKey(origin.namespace(), origin.name()));
    if (verdict.entries().isEmpty()) {
      return;
    }
    out.append(title);
    for (AnnotationVerdict.Entry entry : verdict.entries()) {
      out.append("  ")
          .append(String.format("%-9s %s", entry.state().label(), entry.key()))
          .append(
              entry.state() == AnnotationVerdict.State.HONOURED
                  ? " (" + entry.detail() + " family)"
                  : ": " + entry.detail())
          .append('\n');
    }
  }

  /** The refused Ingresses with rules for this host: they would answer here, but serve nothing. */
  private void refused(StringBuilder out, String host, HostnamePattern selected) {
    for (RefusedIngress refused : annotations.refusedInOrder()) {
      boolean here =
          refused.hosts().stream().anyMatch(h -> h.equals(selected) || h.value().equals(host));
      if (!here) {
        continue;
      }
      StringBuilder why = new StringBuilder();
      for (AnnotationVerdict.Entry entry : refused.refusing()) {
        why.append(why.length() == 0 ? "" : "; ")
            .append(entry.key())
            .append(" (")
            .append(entry.detail())
            .append(')');
      }
      line(
          out,
          "refused",
          "Ingress " + refused.ingress() + " has rules for this host but is not served: " + why);
    }
  }

  /**
   * What the rule's HTTPS policy does to this request (see the router policies HttpsRedirectPolicy
   * and StrictTransportSecurityPolicy).
   */
  private static void https(StringBuilder out, Route route, boolean secure, String path) {
    if (!secure && route.https().redirect()) {
      if (path.startsWith("/.well-known/acme-challenge/")) {
        line(out, "redirect", "none for ACME HTTP-01 challenges, though the rule redirects");
      } else {
        line(
            out,
            "redirect",
            "plain HTTP is answered "
                + route.https().redirectStatus()
                + " with the same URL over https://");
      }
    }
    if (secure && route.https().strictTransportSecurity()) {
      line(
          out,
          "hsts",
          "responses carry Strict-Transport-Security: "
              + route.https().strictTransportSecurityValue()
              + " (unless --hsts=false)");
    }
  }

  private static URI parse(String url) {
    String text = url.contains("://") ? url : "http://" + url;
    try {
      URI uri = new URI(text);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException(
            "url: " + url + " (expected: a URL with a host, e.g. http://app.test/app1)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("url: " + url + " (" + e.getReason() + ")", e);
    }
  }

  private static String describe(HostnamePattern pattern) {
    return switch (pattern.kind()) {
      case EXACT -> "the rules for host " + pattern.value();
      case WILDCARD -> "the rules for wildcard host " + pattern.value();
      case ANY -> "the rules without a host (no rule names this host)";
    };
  }

  private static void backend(StringBuilder out, Route route) {
    line(out, "backend", "Service " + route.backend().id());
    List<Endpoint> ready = route.backend().endpoints();
    List<Endpoint> draining = route.backend().draining();
    if (ready.isEmpty()) {
      line(out, "endpoints", "none: the request gets 503");
    } else {
      line(out, "endpoints", addresses(ready) + " (" + ready.size() + " ready)");
    }
    if (!draining.isEmpty()) {
      line(out, "draining", addresses(draining) + " (terminating: pinned sessions only)");
    }
    if (!route.backend().policy().isDefault()) {
      line(out, "policy", route.backend().policy().toString());
    }
  }

  /** The rule's canaries, and which backend this request takes among them. */
  private static void canaries(StringBuilder out, Route route, PolicyRequest request) {
    Canaries canaries = route.canaries();
    if (canaries.isEmpty()) {
      return;
    }
    out.append("canaries, asked in this order (weights over ")
        .append(canaries.weightTotal())
        .append("):\n");
    for (int i = 0; i < canaries.size(); i++) {
      Canary canary = canaries.get(i);
      out.append("  ")
          .append(i + 1)
          .append(". Service ")
          .append(canary.backend().id())
          .append(" (Ingress ")
          .append(canary.origin())
          .append("): ")
          .append(canary.match());
      if (canary.backend().endpoints().isEmpty()) {
        out.append("; no endpoints, never chosen");
      }
      out.append('\n');
    }
    CanaryPolicy.Decision decision = canaries.policy().decide(request);
    line(out, "takes", takes(canaries, decision, route));
  }

  private static String takes(Canaries canaries, CanaryPolicy.Decision decision, Route route) {
    int chosen = decision.backend();
    String backend =
        chosen == 0
            ? "the main backend, Service " + route.backend().id()
            : chosen > 0
                ? "canary " + chosen + ", Service " + canaries.get(chosen - 1).backend().id()
                : "";
    return switch (decision.reason()) {
      case SESSION -> backend + ": its session cookie pins it";
      case HEADER ->
          backend
              + ": its header "
              + canaries.get(chosen - 1).match().header().orElseThrow().name()
              + " takes the canary";
      case COOKIE ->
          backend
              + ": its cookie "
              + canaries.get(chosen - 1).match().cookie().orElseThrow()
              + " is always";
      case NO_CANARY ->
          backend + ": no canary can take it (excluded by never, without endpoints or weight)";
      case WEIGHT -> weights(canaries, decision);
    };
  }

  /** {@code by weight: main 90 of every 100, canary 1 10}, with what exclusions change. */
  private static String weights(Canaries canaries, CanaryPolicy.Decision decision) {
    int main = canaries.weightTotal();
    StringBuilder shares = new StringBuilder();
    for (int i = 1; i <= canaries.size(); i++) {
      int weight = canaries.get(i - 1).match().weight();
      if (weight == 0) {
        continue;
      }
      main -= weight;
      shares.append(", canary ").append(i).append(' ').append(weight);
      if (decision.isExcluded(i)) {
        shares.append(" (excluded: to the main backend)");
      }
    }
    return "by weight: main "
        + main
        + " of every "
        + canaries.weightTotal()
        + " such requests"
        + shares;
  }

  private static String addresses(List<Endpoint> endpoints) {
    return endpoints.stream().map(Endpoint::address).collect(Collectors.joining(", "));
  }

  /** Why each other rule of the host does not answer. */
  private static void others(
      StringBuilder out, String path, Route winner, boolean fallback, List<Route> hostRules) {
    List<Route> others = hostRules.stream().filter(r -> !r.equals(winner)).toList();
    if (others.isEmpty()) {
      return;
    }
    out.append("other rules for this host:\n");
    for (Route rule : others) {
      out.append("  ")
          .append(String.format("%-6s %s", rule.path().typeName(), rule.path().path()))
          .append("  (Ingress ")
          .append(rule.origin())
          .append("): ")
          .append(whyNot(rule.path(), path, fallback ? null : winner.path()))
          .append('\n');
    }
  }

  static String whyNot(PathMatch rule, String path, @Nullable PathMatch winner) {
    if (rule.matches(path)) {
      if (winner instanceof PathMatch.Exact) {
        return "matches too, but an Exact match of the whole path wins";
      }
      // A rule that matches the path means some rule won: there is no fallback then.
      requireNonNull(winner, "winner");
      return "matches too, but " + winner.typeName() + " " + winner.path() + " is longer";
    }
    if (rule instanceof PathMatch.Exact) {
      return path.startsWith(rule.path())
          ? "Exact needs the whole path to be " + rule.path()
          : "the path is not " + rule.path();
    }
    if (path.startsWith(rule.path())) {
      return "Prefix matches whole segments: " + path + " is not " + rule.path() + " or below it";
    }
    return "the path is not " + rule.path() + " or below it";
  }

  /** When nothing matches: the rules that come closest, by the longest shared path start. */
  private void nearest(StringBuilder out, String host, String path, List<Route> hostRules) {
    List<Route> candidates = hostRules;
    if (candidates.isEmpty()) {
      candidates =
          routes.routes().stream()
              .sorted(Comparator.comparingInt(r -> distance(r.host().value(), host)))
              .limit(5)
              .toList();
      if (!candidates.isEmpty()) {
        out.append("nearest hosts:\n");
      }
    } else {
      candidates =
          candidates.stream()
              .sorted(Comparator.comparingInt((Route r) -> -commonPrefix(r.path().path(), path)))
              .limit(5)
              .toList();
      out.append("nearest candidates:\n");
    }
    for (Route rule : candidates) {
      out.append("  ")
          .append(rule.host())
          .append(' ')
          .append(rule.path().typeName())
          .append(' ')
          .append(rule.path().path())
          .append("  (Ingress ")
          .append(rule.origin())
          .append(")\n");
    }
  }

  private void warnings(StringBuilder out, Route route) {
    String ingress = route.origin().toString();
    String service = route.backend().id().namespace() + "/" + route.backend().id().service();
    List<Finding> relevant = new ArrayList<>();
    for (Finding finding : findings) {
      if (finding.severity() != Finding.Severity.WARNING) {
        // Notices are about annotations without effect, listed with the annotations.
        continue;
      }
      boolean aboutIngress =
          finding.subject().kind().equals("Ingress")
              && finding.subject().key().toString().equals(ingress);
      if (aboutIngress
          || finding.message().contains(service + " ")
          || finding.message().contains(service + ")")
          || finding.message().endsWith(service)) {
        relevant.add(finding);
      }
    }
    if (relevant.isEmpty()) {
      line(out, "warnings", "none");
      return;
    }
    out.append("warnings:\n");
    for (Finding finding : relevant) {
      out.append("  ")
          .append(finding.subject())
          .append(' ')
          .append(finding.reason())
          .append(": ")
          .append(finding.message())
          .append('\n');
    }
  }

  private static int commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }

  /** Levenshtein distance, for "did you mean" host suggestions. */
  static int distance(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    int[] previous = new int[y.length() + 1];
    int[] current = new int[y.length() + 1];
    for (int j = 0; j <= y.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= y.length(); j++) {
        int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[y.length()];
  }

  static void line(StringBuilder out, String label, String value) {
    out.append(String.format("%-10s", label)).append(value).append('\n');
  }
}
