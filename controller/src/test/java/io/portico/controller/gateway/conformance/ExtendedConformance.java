package io.portico.controller.gateway.conformance;

import static io.portico.controller.gateway.conformance.Backends.INFRA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.portico.controller.gateway.conformance.Client.Request;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Tests of the extended GATEWAY-HTTP features Portico supports (Gateway API v1.6.1), ported in
 * spirit like the core ones: method and query parameter matching, response header changes, path and
 * host rewrites, redirects of path, scheme and port, request mirroring and CORS, through the real
 * listeners, and the request and backend request timeouts.
 */
abstract class ExtendedConformance extends HttpRouteConformance {

  private static final String V1 = "infra-backend-v1";
  private static final String V2 = "infra-backend-v2";
  private static final String V3 = "infra-backend-v3";

  /** An HTTPRoute in the infra namespace on {@code same-namespace} with these rules. */
  private static String route(String name, String rules) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace}]
          rules:
        %s"""
        .formatted(name, rules.indent(2));
  }

  private void expect(Request request, String what, Predicate<Client.Answer> check)
      throws Exception {
    int port = env.port(INFRA, "same-namespace", 80);
    converge(request + " -> " + what, () -> Client.send(port, request), check);
  }

  /** Answered by a pod of {@code backend}, which saw {@code path} and {@code host}. */
  private static Predicate<Client.Answer> echoed(String backend, String path, String host) {
    return answer -> {
      JsonObject echo = answer.status() == 200 ? answer.echo() : null;
      return echo != null
          && echo.getString("pod").startsWith(backend)
          && path.equals(echo.getString("path"))
          && host.equals(echo.getString("host"));
    };
  }

  private static Predicate<Client.Answer> redirect(int status, String location) {
    return answer -> answer.status() == status && location.equals(answer.header("location"));
  }

  @Test
  void HTTPRouteMethodMatching() throws Exception {
    env.apply(
        "method-matching",
        route(
            "method-matching",
            """
            - matches: [{method: POST}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{method: GET}]
              backendRefs: [{name: infra-backend-v2, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /path5}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{method: PATCH}]
              backendRefs: [{name: infra-backend-v2, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "method-matching");
      expect(Request.get("example.com", "/").method("POST"), V1, echoed(V1, "/", "example.com"));
      expect(Request.get("example.com", "/"), V2, echoed(V2, "/", "example.com"));
      expect(Request.get("example.com", "/").method("HEAD"), "404", a -> a.status() == 404);
      // A longer path beats a method.
      expect(
          Request.get("example.com", "/path5").method("PATCH"),
          V1,
          echoed(V1, "/path5", "example.com"));
    } finally {
      env.delete("method-matching");
    }
  }

  @Test
  void HTTPRouteQueryParamMatching() throws Exception {
    env.apply(
        "query-param-matching",
        route(
            "query-param-matching",
            """
            - matches: [{queryParams: [{name: animal, value: whale}]}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{queryParams: [{name: animal, value: dolphin}]}]
              backendRefs: [{name: infra-backend-v2, port: 8080}]
            - matches: [{queryParams: [{name: animal, value: dolphin}, {name: color, value: blue}]}]
              backendRefs: [{name: infra-backend-v3, port: 8080}]
            - matches: [{queryParams: [{name: ANIMAL, value: Whale}]}]
              backendRefs: [{name: infra-backend-v3, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "query-param-matching");
      String[][] cases = {
        {"/?animal=whale", V1},
        {"/?animal=dolphin", V2},
        {"/?animal=dolphin&color=blue", V3},
        {"/?ANIMAL=Whale", V3},
        {"/?animal=whale&otherparam=irrelevant", V1},
      };
      for (String[] c : cases) {
        expect(Request.get("example.com", c[0]), c[1], echoed(c[1], c[0], "example.com"));
      }
      for (String miss : new String[] {"/?animal=whaledolphin", "/?color=blue", "/"}) {
        expect(Request.get("example.com", miss), "404", a -> a.status() == 404);
      }
    } finally {
      env.delete("query-param-matching");
    }
  }

  @Test
  void HTTPRouteResponseHeaderModifier() throws Exception {
    env.apply(
        "response-header-modifier",
        route(
            "response-header-modifier",
            """
            - matches: [{path: {type: PathPrefix, value: /set}}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Header-Set, value: set-overwrites-values}]}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /add}}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {add: [{name: X-Header-Add, value: header-add}]}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /remove}}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [X-Header-Remove]}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "response-header-modifier");
      // The echo sets the headers that X-Echo-Set-Header names on its answer.
      expect(
          Request.get("example.com", "/set").with("X-Echo-Set-Header", "X-Header-Set: original"),
          "X-Header-Set replaced",
          a -> a.status() == 200 && "set-overwrites-values".equals(a.header("x-header-set")));
      expect(
          Request.get("example.com", "/add").with("X-Echo-Set-Header", "X-Header-Add: original"),
          "X-Header-Add appended",
          a -> a.status() == 200 && "original,header-add".equals(a.header("x-header-add")));
      expect(
          Request.get("example.com", "/remove").with("X-Echo-Set-Header", "X-Header-Remove: gone"),
          "X-Header-Remove removed",
          a -> a.status() == 200 && a.header("x-header-remove") == null);
    } finally {
      env.delete("response-header-modifier");
    }
  }

  @Test
  void HTTPRouteRewritePath() throws Exception {
    env.apply(
        "rewrite-path",
        route(
            "rewrite-path",
            """
            - matches: [{path: {type: PathPrefix, value: /prefix/one}}]
              filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /strip-prefix}}]
              filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /full/one}}]
              filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /one}}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "rewrite-path");
      String[][] cases = {
        {"/prefix/one/two", "/one/two"},
        {"/strip-prefix/three", "/three"},
        {"/strip-prefix", "/"},
        {"/full/one/two", "/one"},
        {"/prefix/one/two?q=1", "/one/two?q=1"},
      };
      for (String[] c : cases) {
        expect(Request.get("example.com", c[0]), c[1], echoed(V1, c[1], "example.com"));
      }
    } finally {
      env.delete("rewrite-path");
    }
  }

  @Test
  void HTTPRouteRewriteHost() throws Exception {
    env.apply(
        "rewrite-host",
        route(
                "rewrite-host",
                """
                - matches: [{path: {type: PathPrefix, value: /one}}]
                  filters: [{type: URLRewrite, urlRewrite: {hostname: one.example.org}}]
                  backendRefs: [{name: infra-backend-v1, port: 8080}]
                - filters: [{type: URLRewrite, urlRewrite: {hostname: example.org}}]
                  backendRefs: [{name: infra-backend-v2, port: 8080}]
                """)
            .replace("rules:", "hostnames: [rewrite.example]\n  rules:"));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "rewrite-host");
      expect(Request.get("rewrite.example", "/one"), V1, echoed(V1, "/one", "one.example.org"));
      expect(Request.get("rewrite.example", "/"), V2, echoed(V2, "/", "example.org"));
    } finally {
      env.delete("rewrite-host");
    }
  }

  @Test
  void HTTPRouteRedirectPath() throws Exception {
    env.apply(
        "redirect-path",
        route(
            "redirect-path",
            """
            - matches: [{path: {type: PathPrefix, value: /original-prefix}}]
              filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}}]
            - matches: [{path: {type: PathPrefix, value: /full}}]
              filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /full-path-replacement}}}]
            - matches: [{path: {type: PathPrefix, value: /path-and-host}}]
              filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org, path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}}]
            - matches: [{path: {type: PathPrefix, value: /path-and-status}}]
              filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /replacement-full}, statusCode: 301}}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "redirect-path");
      Object[][] cases = {
        {"/original-prefix/lemon", 302, "http://example.com/replacement-prefix/lemon"},
        {"/full/path/original", 302, "http://example.com/full-path-replacement"},
        {"/path-and-host", 302, "http://example.org/replacement-prefix"},
        {"/path-and-status", 301, "http://example.com/replacement-full"},
      };
      for (Object[] c : cases) {
        expect(
            Request.get("example.com", (String) c[0]),
            c[1] + " " + c[2],
            redirect((int) c[1], (String) c[2]));
      }
    } finally {
      env.delete("redirect-path");
    }
  }

  @Test
  void HTTPRouteRedirectSchemeAndPort() throws Exception {
    env.apply(
        "redirect-scheme-and-port",
        route(
            "redirect-scheme-and-port",
            """
            - matches: [{path: {type: PathPrefix, value: /scheme}}]
              filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]
            - matches: [{path: {type: PathPrefix, value: /scheme-and-host}}]
              filters: [{type: RequestRedirect, requestRedirect: {scheme: https, hostname: example.org, statusCode: 301}}]
            - matches: [{path: {type: PathPrefix, value: /port}}]
              filters: [{type: RequestRedirect, requestRedirect: {port: 8083}}]
            - matches: [{path: {type: PathPrefix, value: /https-8443}}]
              filters: [{type: RequestRedirect, requestRedirect: {scheme: https, port: 8443}}]
            - matches: [{path: {type: PathPrefix, value: /http-80}}]
              filters: [{type: RequestRedirect, requestRedirect: {port: 80}}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "redirect-scheme-and-port");
      Object[][] cases = {
        {"/scheme", 302, "https://example.com/scheme"},
        {"/scheme-and-host", 301, "https://example.org/scheme-and-host"},
        {"/port", 302, "http://example.com:8083/port"},
        {"/https-8443", 302, "https://example.com:8443/https-8443"},
        {"/http-80", 302, "http://example.com/http-80"},
      };
      for (Object[] c : cases) {
        expect(
            Request.get("example.com", (String) c[0]),
            c[1] + " " + c[2],
            redirect((int) c[1], (String) c[2]));
      }
      // The Host's port is not the listener's: the Gateway's port (80) is, and it is left out.
      expect(
          Request.get("example.com:1234", "/scheme"),
          "https without the Host's port",
          answer ->
              answer.status() == 302
                  && URI.create(answer.header("location")).getPort() == -1
                  && URI.create(answer.header("location")).getHost().equals("example.com"));
    } finally {
      env.delete("redirect-scheme-and-port");
    }
  }

  @Test
  void HTTPRouteRequestMirror() throws Exception {
    env.apply(
        "request-mirror",
        route(
            "request-mirror",
            """
            - matches: [{path: {type: PathPrefix, value: /mirror}}]
              filters:
              - {type: RequestMirror, requestMirror: {backendRef: {name: infra-backend-v2, namespace: gateway-conformance-infra, port: 8080}}}
              backendRefs: [{name: infra-backend-v1, port: 8080, namespace: gateway-conformance-infra}]
            - matches: [{path: {type: PathPrefix, value: /mirror-and-modify-headers}}]
              filters:
              - type: RequestHeaderModifier
                requestHeaderModifier:
                  set: [{name: X-Header-Set, value: set-overwrites-values}]
                  add: [{name: X-Header-Add, value: header-val-1}, {name: X-Header-Add-Append, value: header-val-2}]
                  remove: [X-Header-Remove]
              - {type: RequestMirror, requestMirror: {backendRef: {name: infra-backend-v2, namespace: gateway-conformance-infra, port: 8080}}}
              backendRefs: [{name: infra-backend-v1, port: 8080, namespace: gateway-conformance-infra}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "request-mirror");
      // Each request carries an id, which the mirror's pods must then have received.
      String plain = "/mirror?id=" + UUID.randomUUID();
      expect(Request.get("example.com", plain), V1, echoed(V1, plain, "example.com"));
      awaitMirrored(V2, plain);
      String modified = "/mirror-and-modify-headers?id=" + UUID.randomUUID();
      expect(
          Request.get("example.com", modified)
              .with("X-Header-Remove", "remove-val")
              .with("X-Header-Add-Append", "append-val-1"),
          V1 + " with the headers changed",
          answer -> {
            if (!echoed(V1, modified, "example.com").test(answer)) {
              return false;
            }
            JsonObject echo = answer.echo();
            return "header-val-1".equals(echoedHeader(echo, "X-Header-Add"))
                && "append-val-1,header-val-2".equals(echoedHeader(echo, "X-Header-Add-Append"))
                && "set-overwrites-values".equals(echoedHeader(echo, "X-Header-Set"))
                && echoedHeader(echo, "X-Header-Remove") == null;
          });
      awaitMirrored(V2, modified);
    } finally {
      env.delete("request-mirror");
    }
  }

  /** A pod of {@code service} (in the infra namespace) received {@code uri}. */
  private void awaitMirrored(String service, String uri) throws Exception {
    awaitStatus(
        uri + " mirrored to " + service,
        () -> backends.pods(INFRA, service).stream().anyMatch(p -> p.received().contains(uri)));
  }

  @Test
  void HTTPRouteCORS() throws Exception {
    env.apply(
        "cors",
        route(
            "cors",
            """
            - matches: [{path: {type: PathPrefix, value: /cors-1}}]
              filters:
              - type: CORS
                cors:
                  allowOrigins: ["https://www.foo.com", "https://*.bar.com"]
                  allowMethods: [GET, OPTIONS]
                  allowHeaders: [x-header-1, x-header-2]
                  exposeHeaders: [x-header-3, x-header-4]
                  allowCredentials: true
                  maxAge: 3600
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /cors-2}}]
              filters:
              - {type: CORS, cors: {allowOrigins: ["https://www.foo.com"], allowMethods: ["*"]}}
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /cors-wildcard-origin}}]
              filters:
              - {type: CORS, cors: {allowOrigins: ["*"], allowMethods: [PUT], allowCredentials: false}}
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /cors-wildcard-methods-headers}}]
              filters:
              - {type: CORS, cors: {allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"], allowCredentials: true}}
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /cors-wildcard-methods-headers-unauth}}]
              filters:
              - {type: CORS, cors: {allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"], allowCredentials: false}}
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "cors");
      for (String origin :
          new String[] {"https://www.foo.com", "https://www.bar.com", "https://xpto.www.bar.com"}) {
        expect(
            preflight("/cors-1", origin, "GET")
                .with("access-control-request-headers", "x-header-1, x-header-2"),
            "pre-flight allowed for " + origin,
            answer ->
                preflightAnswered(answer)
                    && origin.equals(answer.header("access-control-allow-origin"))
                    && sameList(answer, "access-control-allow-methods", "GET", "OPTIONS")
                    && sameList(answer, "access-control-allow-headers", "x-header-1", "x-header-2")
                    && sameList(answer, "access-control-expose-headers", "x-header-3", "x-header-4")
                    && "3600".equals(answer.header("access-control-max-age"))
                    && "true".equals(answer.header("access-control-allow-credentials")));
      }
      expect(
          preflight("/cors-1", "https://foobar.com", "GET"),
          "pre-flight of another origin without CORS headers",
          answer ->
              Set.of(200, 204, 403).contains(answer.status())
                  && answer.header("access-control-allow-origin") == null);
      for (String origin : new String[] {"https://www.foo.com", "https://www.bar.com"}) {
        expect(
            Request.get("example.com", "/cors-1").with("Origin", origin),
            "simple request allowed for " + origin,
            answer ->
                answer.status() == 200
                    && origin.equals(answer.header("access-control-allow-origin")));
      }
      expect(
          Request.get("example.com", "/cors-1").with("Origin", "https://foobar.com"),
          "simple request of another origin without CORS headers",
          answer -> answer.status() == 200 && answer.header("access-control-allow-origin") == null);
      expect(
          preflight("/cors-2", "https://www.foo.com", "POST"),
          "any method allowed, without credentials",
          answer ->
              preflightAnswered(answer)
                  && List.of("POST", "*").contains(answer.header("access-control-allow-methods"))
                  && "https://www.foo.com".equals(answer.header("access-control-allow-origin"))
                  && answer.header("access-control-allow-credentials") == null);
      for (String origin : new String[] {"https://foobar.com:12345", "https://foobar.com"}) {
        expect(
            preflight("/cors-wildcard-origin", origin, "PUT"),
            "any origin's pre-flight: " + origin,
            answer ->
                preflightAnswered(answer)
                    && List.of(origin, "*").contains(answer.header("access-control-allow-origin"))
                    && "PUT".equals(answer.header("access-control-allow-methods"))
                    && answer.header("access-control-allow-credentials") == null);
        expect(
            Request.get("example.com", "/cors-wildcard-origin")
                .method("PUT")
                .with("Origin", origin),
            "any origin's request: " + origin,
            answer ->
                answer.status() == 200
                    && List.of(origin, "*").contains(answer.header("access-control-allow-origin"))
                    && answer.header("access-control-allow-credentials") == null);
      }
      // With credentials, * is never said: the request's origin, method and headers are echoed.
      expect(
          preflight("/cors-wildcard-methods-headers", "https://other.foo.com", "PUT")
              .with("access-control-request-headers", "x-header-1, x-header-2"),
          "wildcards echoed with credentials",
          answer ->
              preflightAnswered(answer)
                  && "https://other.foo.com".equals(answer.header("access-control-allow-origin"))
                  && "PUT".equals(answer.header("access-control-allow-methods"))
                  && sameList(answer, "access-control-allow-headers", "x-header-1", "x-header-2")
                  && "true".equals(answer.header("access-control-allow-credentials")));
      expect(
          preflight("/cors-wildcard-methods-headers-unauth", "https://other.foo.com", "PUT")
              .with("access-control-request-headers", "x-header-1, x-header-2"),
          "wildcards without credentials",
          answer ->
              preflightAnswered(answer)
                  && List.of("https://other.foo.com", "*")
                      .contains(answer.header("access-control-allow-origin"))
                  && List.of("PUT", "*").contains(answer.header("access-control-allow-methods"))
                  && (sameList(answer, "access-control-allow-headers", "x-header-1", "x-header-2")
                      || "*".equals(answer.header("access-control-allow-headers")))
                  && answer.header("access-control-allow-credentials") == null);
      expect(
          Request.get("example.com", "/cors-wildcard-methods-headers")
              .with("Origin", "https://other.foo.com"),
          "request with credentials",
          answer ->
              answer.status() == 200
                  && "https://other.foo.com".equals(answer.header("access-control-allow-origin"))
                  && "true".equals(answer.header("access-control-allow-credentials")));
      expect(
          Request.get("example.com", "/cors-wildcard-methods-headers-unauth")
              .with("Origin", "https://other.foo.com"),
          "request without credentials",
          answer ->
              answer.status() == 200
                  && List.of("https://other.foo.com", "*")
                      .contains(answer.header("access-control-allow-origin"))
                  && answer.header("access-control-allow-credentials") == null);
    } finally {
      env.delete("cors");
    }
  }

  private static Request preflight(String path, String origin, String method) {
    return Request.get("example.com", path)
        .method("OPTIONS")
        .with("Origin", origin)
        .with("access-control-request-method", method);
  }

  /** Answered by Portico (200 or 204), not by the echo. */
  private static boolean preflightAnswered(Client.Answer answer) {
    return (answer.status() == 200 || answer.status() == 204) && answer.echo() == null;
  }

  /** The header's comma-separated values are exactly these, in any order, spaces ignored. */
  private static boolean sameList(Client.Answer answer, String header, String... values) {
    String value = answer.header(header);
    if (value == null) {
      return false;
    }
    List<String> got =
        List.of(value.replace(" ", "").toLowerCase(Locale.ROOT).split(",")).stream()
            .sorted()
            .toList();
    List<String> want =
        List.of(values).stream().map(v -> v.toLowerCase(Locale.ROOT)).sorted().toList();
    return got.equals(want);
  }

  @Test
  void HTTPRouteTimeoutRequest() throws Exception {
    env.apply(
        "request-timeout",
        route(
            "request-timeout",
            """
            - matches: [{path: {type: PathPrefix, value: /request-timeout}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
              timeouts: {request: 500ms}
            - matches: [{path: {type: PathPrefix, value: /disable-request-timeout}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
              timeouts: {request: 0s}
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "request-timeout");
      routeCondition(
          INFRA, "request-timeout", "same-namespace", "ResolvedRefs", "True", "ResolvedRefs");
      expect(
          Request.get("example.com", "/request-timeout"),
          V1,
          echoed(V1, "/request-timeout", "example.com"));
      expect(
          Request.get("example.com", "/request-timeout?delay=1s"), "504", a -> a.status() == 504);
      expect(
          Request.get("example.com", "/disable-request-timeout?delay=1s"),
          V1,
          echoed(V1, "/disable-request-timeout?delay=1s", "example.com"));
    } finally {
      env.delete("request-timeout");
    }
  }

  @Test
  void HTTPRouteTimeoutBackendRequest() throws Exception {
    env.apply(
        "backend-request-timeout",
        route(
            "backend-request-timeout",
            """
            - matches: [{path: {type: PathPrefix, value: /backend-timeout}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
              timeouts: {backendRequest: 500ms}
            - matches: [{path: {type: PathPrefix, value: /disable-backend-timeout}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
              timeouts: {backendRequest: 0s}
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "backend-request-timeout");
      routeCondition(
          INFRA,
          "backend-request-timeout",
          "same-namespace",
          "ResolvedRefs",
          "True",
          "ResolvedRefs");
      expect(
          Request.get("example.com", "/backend-timeout"),
          V1,
          echoed(V1, "/backend-timeout", "example.com"));
      expect(
          Request.get("example.com", "/backend-timeout?delay=1s"), "504", a -> a.status() == 504);
      expect(
          Request.get("example.com", "/disable-backend-timeout?delay=1s"),
          V1,
          echoed(V1, "/disable-backend-timeout?delay=1s", "example.com"));
    } finally {
      env.delete("backend-request-timeout");
    }
  }

  /**
   * Session persistence (GEP-1619, experimental channel; v1.6.1 has no conformance test for it): a
   * cookie rule pins a client to the pod that served its first request, a client without the cookie
   * is balanced as before, a permanent cookie lasts {@code absoluteTimeout}; what Portico's cookie
   * cannot carry refuses the route, naming the field.
   */
  @Test
  void sessionPersistenceKeepsAClientOnOnePod() throws Exception {
    env.apply(
        "session-persistence",
        route(
                "session-persistence",
                """
                - matches: [{path: {type: PathPrefix, value: /session}}]
                  backendRefs: [{name: infra-backend-v1, port: 8080}]
                  sessionPersistence: {sessionName: portico-sp, type: Cookie}
                - matches: [{path: {type: PathPrefix, value: /permanent}}]
                  backendRefs: [{name: infra-backend-v1, port: 8080}]
                  sessionPersistence:
                    absoluteTimeout: 1h
                    cookieConfig: {lifetimeType: Permanent}
                """)
            + "\n---\n"
            + route(
                "session-refused",
                """
                - matches: [{path: {type: PathPrefix, value: /header}}]
                  backendRefs: [{name: infra-backend-v1, port: 8080}]
                  sessionPersistence: {sessionName: x-session, type: Header}
                - matches: [{path: {type: PathPrefix, value: /split}}]
                  backendRefs:
                  - {name: infra-backend-v1, port: 8080}
                  - {name: infra-backend-v2, port: 8080}
                  sessionPersistence: {sessionName: split}
                """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "session-persistence");
      int port = env.port(INFRA, "same-namespace", 80);
      Request first = Request.get("example.com", "/session/cart");
      expect(
          first,
          "a new session's cookie",
          answer ->
              answer.status() == 200
                  && answer.header("set-cookie") != null
                  && answer.header("set-cookie").startsWith("portico-sp=")
                  && answer.header("set-cookie").contains("; Path=/session; HttpOnly; SameSite=Lax")
                  && !answer.header("set-cookie").contains("Max-Age"));
      Client.Answer started = Client.send(port, first);
      String cookie = started.header("set-cookie").split(";", 2)[0];
      String pod = started.echo().getString("pod");
      for (int i = 0; i < 6; i++) {
        Client.Answer again = Client.send(port, first.with("Cookie", "other=1; " + cookie));
        assertEquals(200, again.status(), "request " + i + " of the session");
        assertEquals(pod, again.echo().getString("pod"), "request " + i + " of the session");
        assertNull(again.header("set-cookie"), "a session that goes on gets no new cookie");
      }
      // Without the cookie, requests are balanced over both pods as before.
      Set<String> pods = new TreeSet<>();
      for (int i = 0; i < 6; i++) {
        pods.add(Client.send(port, first).echo().getString("pod"));
      }
      assertEquals(2, pods.size(), "new sessions go to both pods: " + pods);
      expect(
          Request.get("example.com", "/permanent"),
          "a permanent cookie named after the rule, lasting an hour",
          answer ->
              answer.status() == 200
                  && answer.header("set-cookie") != null
                  && answer.header("set-cookie").startsWith("portico-session-")
                  && answer.header("set-cookie").contains("; Path=/permanent; Max-Age=3600;"));
      awaitStatus(
          "session-refused refused naming both fields",
          () -> {
            JsonObject route = httpRoute(INFRA, "session-refused");
            if (route == null
                || !Status.parentHas(
                    route, INFRA, "same-namespace", "Accepted", "False", "UnsupportedValue")) {
              return false;
            }
            JsonObject parent = Status.parent(route, INFRA, "same-namespace");
            for (Object condition : Status.conditions(parent)) {
              String message = ((JsonObject) condition).getString("message");
              if (message != null
                  && message.contains("spec.rules[0].sessionPersistence.type: Header")
                  && message.contains("spec.rules[1].sessionPersistence: on a rule with 2")) {
                return true;
              }
            }
            return false;
          });
    } finally {
      env.delete("session-persistence");
    }
  }
}
