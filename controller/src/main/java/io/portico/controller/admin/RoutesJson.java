package io.portico.controller.admin;

import io.portico.controller.annotations.AnnotationVerdict;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.translate.Finding;
import io.portico.controller.translate.IngressAnnotations;
import io.portico.controller.translate.RefusedIngress;
import io.portico.controller.translate.ServedCertificates;
import io.portico.controller.translate.Translation;
import io.portico.router.RoutingConfig;
import io.portico.router.policy.HeaderMatch;
import io.portico.router.route.Canaries;
import io.portico.router.route.Canary;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.tls.CertificateSet;
import io.portico.tls.TlsKeyPair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The routing table serving now, as JSON: what {@code /routes} answers. Each route lists what
 * became of its Ingress's annotations; the Ingresses refused for an annotation are listed apart,
 * since they have no routes.
 */
final class RoutesJson {

  private RoutesJson() {}

  /**
   * @param publishedAt when this generation started serving, or {@code null} when unknown (before
   *     the first, or while a newer one is being published)
   */
  static JsonObject render(
      RoutingConfig config, @Nullable Translation translation, @Nullable Instant publishedAt) {
    IngressAnnotations annotations =
        translation == null ? IngressAnnotations.NONE : translation.annotations();
    Map<HostnamePattern, JsonArray> hosts = new LinkedHashMap<>();
    for (Route route : config.routes().routes()) {
      hosts.computeIfAbsent(route.host(), h -> new JsonArray()).add(route(route, annotations));
    }
    JsonArray hostList = new JsonArray();
    hosts.forEach(
        (host, routes) -> {
          JsonObject entry = new JsonObject().put("host", host.value()).put("routes", routes);
          Route fallback = config.routes().fallbacks().get(host);
          if (fallback != null) {
            entry.put("defaultBackend", backend(fallback));
          }
          hostList.add(entry);
        });
    config
        .routes()
        .fallbacks()
        .forEach(
            (host, fallback) -> {
              if (!hosts.containsKey(host)) {
                hostList.add(
                    new JsonObject()
                        .put("host", host.value())
                        .put("routes", new JsonArray())
                        .put("defaultBackend", backend(fallback)));
              }
            });
    JsonObject json = new JsonObject().put("generation", config.generation());
    if (publishedAt != null) {
      json.put("publishedAt", publishedAt.toString());
    }
    json.put("hosts", hostList);
    config.routes().defaultRoute().ifPresent(route -> json.put("defaultBackend", backend(route)));
    json.put("tls", tls(config.certificates(), translation));
    JsonArray warnings = new JsonArray();
    if (translation != null) {
      for (Finding finding : translation.findings()) {
        warnings.add(
            new JsonObject()
                .put("kind", finding.subject().kind())
                .put("namespace", finding.subject().key().namespace())
                .put("name", finding.subject().key().name())
                .put("reason", finding.reason())
                .put("message", finding.message()));
      }
    }
    json.put("refused", refused(annotations));
    return json.put("warnings", warnings);
  }

  private static JsonObject route(Route route, IngressAnnotations annotations) {
    JsonObject json =
        backend(route)
            .put("pathType", route.path().typeName())
            .put("path", route.path().path())
            .put("httpsRedirect", route.https().redirect())
            .put("hsts", route.https().strictTransportSecurity());
    // The values the controller ConfigMap chose, where they apply.
    if (route.https().redirect()) {
      json.put("httpsRedirectStatus", route.https().redirectStatus());
    }
    if (route.https().strictTransportSecurity()) {
      json.put("hstsValue", route.https().strictTransportSecurityValue());
    }
    if (!route.canaries().isEmpty()) {
      json.put("canaries", canaries(route.canaries(), annotations))
          .put("weightTotal", route.canaries().weightTotal());
    }
    route
        .mirror()
        .ifPresent(
            mirror ->
                json.put(
                    "mirror",
                    new JsonObject()
                        .put("backend", mirror.backend().id().toString())
                        .put("endpoints", addresses(mirror.backend().endpoints()))
                        .put(
                            "path",
                            mirror.copy().path()
                                + (mirror.copy().withRequestUri() ? "$request_uri" : ""))
                        .put("host", mirror.copy().host())
                        .put("body", mirror.copy().body())));
    annotations(json, route.origin(), annotations);
    return json;
  }

  /** Each canary in the order the rule asks them: its backend, as a route's, and its match. */
  private static JsonArray canaries(Canaries canaries, IngressAnnotations annotations) {
    JsonArray out = new JsonArray();
    for (Canary canary : canaries.canaries()) {
      JsonObject json =
          new JsonObject()
              .put("ingress", canary.origin().toString())
              .put("backend", canary.backend().id().toString())
              .put("endpoints", addresses(canary.backend().endpoints()))
              .put("draining", addresses(canary.backend().draining()));
      if (!canary.backend().policy().isDefault()) {
        json.put("policy", canary.backend().policy().toString());
      }
      canary.match().header().ifPresent(header -> json.put("header", header(header)));
      canary.match().cookie().ifPresent(cookie -> json.put("cookie", cookie));
      json.put("weight", canary.match().weight());
      annotations(json, canary.origin(), annotations);
      out.add(json);
    }
    return out;
  }

  /** The verdict of the Ingress a route or canary comes from, when it has annotations. */
  private static void annotations(
      JsonObject json, RouteOrigin origin, IngressAnnotations annotations) {
    if (origin.namespace().isEmpty()) {
      return;
    }
    AnnotationVerdict verdict = annotations.of(new ObjectKey(origin.namespace(), origin.name()));
    if (!verdict.entries().isEmpty()) {
      json.put("annotations", verdict(verdict));
    }
  }

  /** {@code [{annotation, state, family | reason}]}, one per annotation as written. */
  private static JsonArray verdict(AnnotationVerdict verdict) {
    JsonArray out = new JsonArray();
    for (AnnotationVerdict.Entry entry : verdict.entries()) {
      JsonObject json =
          new JsonObject().put("annotation", entry.key()).put("state", entry.state().label());
      if (entry.state() == AnnotationVerdict.State.HONOURED) {
        json.put("family", entry.detail());
      } else {
        json.put("reason", entry.detail());
      }
      out.add(json);
    }
    return out;
  }

  private static JsonObject header(HeaderMatch header) {
    JsonObject json = new JsonObject().put("name", header.name());
    if (header instanceof HeaderMatch.Value value) {
      return json.put("match", "value").put("value", value.value());
    }
    if (header instanceof HeaderMatch.Regex regex) {
      return json.put("match", "pattern").put("pattern", regex.pattern().pattern());
    }
    return json.put(
        "match", header instanceof HeaderMatch.Unusable ? "unusable-pattern" : "always-never");
  }

  private static JsonArray refused(IngressAnnotations annotations) {
    JsonArray out = new JsonArray();
    for (RefusedIngress refused : annotations.refusedInOrder()) {
      JsonArray hosts = new JsonArray();
      refused.hosts().forEach(h -> hosts.add(h.value()));
      out.add(
          new JsonObject()
              .put("ingress", refused.ingress().toString())
              .put("hosts", hosts)
              .put("annotations", verdict(refused.annotations())));
    }
    return out;
  }

  /**
   * The annotations section of {@code /routes?format=text}: each Ingress's annotations that are not
   * plainly honoured, and the refused Ingresses.
   */
  static void annotationsText(IngressAnnotations annotations, StringBuilder out) {
    for (RefusedIngress refused : annotations.refusedInOrder()) {
      out.append("refused Ingress ").append(refused.ingress()).append(" (not served)\n");
      for (AnnotationVerdict.Entry entry : refused.refusing()) {
        out.append("  ").append(entry.key()).append(": ").append(entry.detail()).append('\n');
      }
    }
  }

  /**
   * The certificates serving now by name, with their Secrets when the latest translation is the one
   * serving (a Secret of {@code null} is the generated default certificate).
   */
  private static JsonObject tls(CertificateSet serving, @Nullable Translation translation) {
    ServedCertificates served =
        translation != null && translation.certificates().set().equals(serving)
            ? translation.certificates()
            : null;
    JsonArray names = new JsonArray();
    serving
        .entries()
        .forEach(
            (name, pair) -> {
              ServedCertificates.Source source = served == null ? null : served.sources().get(name);
              names.add(
                  certificate(pair, source == null ? null : source.secret())
                      .put("name", name)
                      .put("fromSubjectAltName", source != null && source.fromSubjectAltName()));
            });
    ObjectKey defaultSecret = served == null ? null : served.defaultSecret().orElse(null);
    return new JsonObject()
        .put("default", certificate(serving.defaultPair(), defaultSecret))
        .put("names", names);
  }

  private static JsonObject certificate(TlsKeyPair pair, @Nullable ObjectKey secret) {
    return new JsonObject()
        .put("secret", secret == null ? null : secret.toString())
        .put("subject", pair.subject())
        .put("notAfter", pair.notAfter().toString())
        .put("sha256", pair.fingerprint());
  }

  private static JsonObject backend(Route route) {
    JsonObject json =
        new JsonObject()
            .put("ingress", route.origin().toString())
            .put("backend", route.backend().id().toString())
            .put("endpoints", addresses(route.backend().endpoints()))
            .put("draining", addresses(route.backend().draining()));
    if (!route.backend().policy().isDefault()) {
      json.put("policy", route.backend().policy().toString());
    }
    return json;
  }

  private static JsonArray addresses(List<Endpoint> endpoints) {
    JsonArray out = new JsonArray();
    endpoints.forEach(e -> out.add(e.address()));
    return out;
  }
}
