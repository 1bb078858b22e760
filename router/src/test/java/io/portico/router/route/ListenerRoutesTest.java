package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.policy.CanaryMatch;
import io.portico.router.policy.ErrorPageContext;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.route.RequestConditions.ValueCondition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Gateway API rules on Portico's listeners, and their hand-over with Ingress rules. */
class ListenerRoutesTest {

  /** A request's method, headers and query, for matching. */
  record Request(String method, Map<String, String> headers, Map<String, String> query)
      implements RequestAttributes {

    static Request get() {
      return new Request("GET", Map.of(), Map.of());
    }

    Request header(String name, String value) {
      Map<String, String> more = new HashMap<>(headers);
      more.put(name.toLowerCase(java.util.Locale.ROOT), value);
      return new Request(method, more, query);
    }

    @Override
    public String header(String name) {
      return headers.get(name);
    }

    @Override
    public String queryParameter(String name) {
      return query.get(name);
    }
  }

  private static Route route(String service) {
    return new Route(
        HostnamePattern.any(),
        PathMatch.prefix("/"),
        Backend.of(new BackendId("infra", service, "8080"), List.of(Endpoint.of("10.0.0.1", 80))),
        new RouteOrigin("infra", "route-" + service));
  }

  private static Backend backend(String service, String address) {
    return Backend.of(new BackendId("default", service, "8080"), List.of(Endpoint.of(address, 80)));
  }

  private static GatewayRule rule(String hostname, RequestConditions conditions, String service) {
    return new GatewayRule(
        hostname, conditions, List.of(new WeightedRoute(1, route(service))), "rule " + service);
  }

  private static RequestConditions prefix(String path) {
    return RequestConditions.path(PathMatch.prefix(path));
  }

  private static String served(
      RouteTable table, ListenerKey key, String host, String path, RequestAttributes request) {
    RouteTarget target = table.match(key, host, path, request);
    return target == null ? "404" : target.route().backend().id().service();
  }

  private static String served(RouteTable table, ListenerKey key, String host, String path) {
    return served(table, key, host, path, Request.get());
  }

  @Test
  void theMostSpecificListenerHostnameServesAndItsRulesAlone() {
    RouteTable table =
        RouteTable.empty()
            .withListenerRoutes(
                List.of(
                    new ListenerRoutes(
                        ListenerKey.opened(8081),
                        false,
                        null,
                        List.of(
                            new ListenerRoutes.Group(
                                "abc.foo.example.com", List.of(rule("", prefix("/abc"), "abc"))),
                            new ListenerRoutes.Group(
                                "*.example.com", List.of(rule("", prefix("/wild"), "wild"))),
                            new ListenerRoutes.Group(
                                "", List.of(rule("", prefix("/empty"), "empty")))))));
    ListenerKey port = ListenerKey.opened(8081);
    assertEquals("abc", served(table, port, "abc.foo.example.com", "/abc"));
    assertEquals("404", served(table, port, "abc.foo.example.com", "/wild"));
    // One or more labels before the wildcard's suffix.
    assertEquals("wild", served(table, port, "a.b.example.com", "/wild"));
    assertEquals("404", served(table, port, "bar.example.com", "/empty"));
    assertEquals("empty", served(table, port, "example.com", "/empty"));
    // Another listener serves nothing of these rules, and no Ingress rule.
    assertEquals("404", served(table, ListenerKey.opened(8082), "example.com", "/empty"));
  }

  @Test
  void withinAListenerAnExactHostNameComesBeforeWildcardsThenRulesWithout() {
    RouteTable table =
        RouteTable.empty()
            .withListenerRoutes(
                List.of(
                    new ListenerRoutes(
                        ListenerKey.HTTP,
                        false,
                        null,
                        List.of(
                            new ListenerRoutes.Group(
                                "",
                                List.of(
                                    rule("a.example.com", prefix("/x"), "exact"),
                                    rule("*.example.com", prefix("/"), "wild"),
                                    rule("", prefix("/"), "any")))))));
    assertEquals("exact", served(table, ListenerKey.HTTP, "a.example.com", "/x"));
    // The exact host name's rules do not match: a wildcard's rule for the same host may.
    assertEquals("wild", served(table, ListenerKey.HTTP, "a.example.com", "/y"));
    assertEquals("any", served(table, ListenerKey.HTTP, "other.test", "/y"));
  }

  @Test
  void methodHeadersQueryAndRegularExpressionsAllMustHold() {
    RequestConditions conditions =
        new RequestConditions(
            PathMatch.regularExpression("/v[0-9]+/.*"),
            "POST",
            List.of(ValueCondition.exact("Version", "two"), ValueCondition.regex("color", "bl.e")),
            List.of(ValueCondition.exact("animal", "whale")));
    RouteTable table =
        RouteTable.empty()
            .withListenerRoutes(
                List.of(
                    new ListenerRoutes(
                        ListenerKey.HTTP,
                        false,
                        null,
                        List.of(
                            new ListenerRoutes.Group(
                                "", List.of(rule("", conditions, "matched")))))));
    Request good =
        new Request("POST", Map.of(), Map.of("animal", "whale"))
            .header("version", "two")
            .header("color", "blue");
    assertEquals("matched", served(table, ListenerKey.HTTP, "h", "/v2/x", good));
    assertEquals("404", served(table, ListenerKey.HTTP, "h", "/api/v2/x", good));
    assertEquals(
        "404",
        served(
            table,
            ListenerKey.HTTP,
            "h",
            "/v2/x",
            new Request("GET", good.headers(), good.query())));
    assertEquals(
        "404", served(table, ListenerKey.HTTP, "h", "/v2/x", good.header("color", "blue!")));
    assertEquals(
        "404",
        served(
            table,
            ListenerKey.HTTP,
            "h",
            "/v2/x",
            new Request("POST", good.headers(), Map.of("Animal", "whale"))));
  }

  @Test
  void aHostNameGatewayApiRulesServeIsTheirsOnThatListenerAndNoOther() {
    RouteTableBuilder ingress = RouteTable.builder();
    ingress.add(
        new Route(
            HostnamePattern.of("app.test"),
            PathMatch.prefix("/"),
            route("ingress-app").backend(),
            new RouteOrigin("default", "app")));
    ingress.add(
        new Route(
            HostnamePattern.of("*.wild.test"),
            PathMatch.prefix("/"),
            route("ingress-wild").backend(),
            new RouteOrigin("default", "wild")));
    ingress.add(
        new Route(
            HostnamePattern.any(),
            PathMatch.prefix("/"),
            route("ingress-any").backend(),
            new RouteOrigin("default", "any")));
    RouteTable table =
        ingress
            .build()
            .withListenerRoutes(
                List.of(
                    new ListenerRoutes(
                        ListenerKey.HTTP,
                        false,
                        null,
                        List.of(
                            new ListenerRoutes.Group(
                                "",
                                List.of(
                                    rule("app.test", prefix("/gw"), "gateway-app"),
                                    rule("*.test", prefix("/"), "gateway-test")))))));
    ListenerKey http = ListenerKey.HTTP;
    // The same name: the route's, with Gateway API semantics (no fall back to the Ingress).
    assertEquals("gateway-app", served(table, http, "app.test", "/gw"));
    assertEquals("gateway-test", served(table, http, "app.test", "/other"));
    assertTrue(table.gatewayClaims(http, "app.test"));
    // A one-label Ingress wildcard is more specific than *.test: the Ingress keeps a.wild.test.
    assertEquals("ingress-wild", served(table, http, "a.wild.test", "/"));
    // *.test is more specific than the Ingress rules without a host.
    assertEquals("gateway-test", served(table, http, "other.test", "/"));
    // A name no Gateway API rule serves stays with the Ingress rules.
    assertEquals("ingress-any", served(table, http, "example.com", "/"));
    assertFalse(table.gatewayClaims(http, "example.com"));
    // The HTTPS listener has no Gateway API rules: the Ingress rules serve everything there.
    assertEquals("ingress-app", served(table, ListenerKey.HTTPS, "app.test", "/gw"));
  }

  @Test
  void ingressCanariesErrorPagesAndRegexPathsKeepServingBesideGatewayApiRules() {
    Route shop =
        new Route(
                HostnamePattern.of("shop.test"),
                PathMatch.prefix("/"),
                backend("shop", "10.0.1.1"),
                new RouteOrigin("default", "shop"),
                HttpsPolicy.NONE,
                RoutePolicies.NONE,
                Canaries.NONE,
                Optional.empty(),
                new ErrorPages(
                    List.of(503),
                    backend("errors", "10.0.1.3"),
                    new ErrorPageContext("default", "shop", "shop", "8080")))
            .withCanaries(
                new Canaries(
                    List.of(
                        new Canary(
                            backend("shop-canary", "10.0.1.2"),
                            new RouteOrigin("default", "shop-canary"),
                            CanaryMatch.weight(100))),
                    100));
    RouteTableBuilder ingress = RouteTable.builder();
    ingress.add(shop);
    ingress.add(
        new Route(
            HostnamePattern.of("api.test"),
            PathMatch.regex("/v[0-9]+"),
            backend("ingress-api", "10.0.1.4"),
            new RouteOrigin("default", "api")));
    RouteTable table =
        ingress
            .build()
            .withListenerRoutes(
                List.of(
                    new ListenerRoutes(
                        ListenerKey.HTTP,
                        false,
                        null,
                        List.of(
                            new ListenerRoutes.Group(
                                "",
                                List.of(
                                    rule(
                                        "gateway.test",
                                        RequestConditions.path(
                                            PathMatch.regularExpression("/v[0-9]+")),
                                        "gateway-regex"),
                                    rule("*.test", prefix("/"), "gateway-test")))))));
    for (RouteTable served :
        List.of(table, table.edit().host(HostnamePattern.of("x.test"), List.of(), null).build())) {
      ListenerKey http = ListenerKey.HTTP;
      // The exact Ingress host keeps its rule over *.test, canaries and error pages included.
      RouteTarget target = served.match(http, "shop.test", "/cart", Request.get());
      assertEquals("shop", target.route().backend().id().service());
      assertEquals(1, target.canaries().size());
      assertEquals("shop-canary", target.canaries().get(0).upstream().backend().id().service());
      assertEquals("errors", target.errorUpstream().backend().id().service());
      assertSame(target.errorUpstream(), target.canaries().get(0).errorUpstream());
      // An Ingress regex matches a start of the path, ignoring case.
      assertEquals("ingress-api", served(served, http, "api.test", "/V2/orders"));
      // A Gateway API regular expression matches the whole path, case-sensitive, and its rules
      // have no error pages.
      assertEquals("gateway-regex", served(served, http, "gateway.test", "/v2"));
      assertNull(served.match(http, "gateway.test", "/v2", Request.get()).errorUpstream());
      assertEquals("gateway-test", served(served, http, "gateway.test", "/V2"));
      assertEquals("gateway-test", served(served, http, "gateway.test", "/v2/orders"));
      assertEquals("gateway-test", served(served, http, "other.test", "/"));
      // The other listener has no Gateway API rules: the Ingress rules alone.
      assertEquals("404", served(served, ListenerKey.HTTPS, "other.test", "/"));
    }
  }

  @Test
  void weightedBackendsShareExactlyAndWeightZeroIsNeverChosen() {
    GatewayRule weighted =
        new GatewayRule(
            "",
            prefix("/"),
            List.of(
                new WeightedRoute(70, route("v1")),
                new WeightedRoute(30, route("v2")),
                new WeightedRoute(0, route("v3"))),
            "weighted");
    RouteTable table =
        RouteTable.empty()
            .withListenerRoutes(
                List.of(
                    new ListenerRoutes(
                        ListenerKey.HTTP,
                        false,
                        null,
                        List.of(new ListenerRoutes.Group("", List.of(weighted))))));
    Map<String, Integer> counts = new HashMap<>();
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String service = served(table, ListenerKey.HTTP, "h", "/");
      counts.merge(service, 1, Integer::sum);
      if (i < 10) {
        first.add(service);
      }
    }
    assertEquals(Map.of("v1", 700, "v2", 300), counts);
    // Spread, not in runs: never three of the lesser share in ten.
    assertTrue(first.stream().filter("v2"::equals).count() <= 3, first.toString());
  }

  @Test
  void equalRulesGiveTheSameTableAndKeepTheirUpstreams() {
    List<ListenerRoutes> routes =
        List.of(
            new ListenerRoutes(
                ListenerKey.HTTP,
                false,
                null,
                List.of(new ListenerRoutes.Group("", List.of(rule("", prefix("/"), "v1"))))));
    RouteTable first = RouteTable.empty().withListenerRoutes(routes);
    assertSame(first, first.withListenerRoutes(List.copyOf(routes)));
    RouteTable more =
        first.withListenerRoutes(
            List.of(
                routes.get(0),
                new ListenerRoutes(
                    ListenerKey.opened(9000),
                    false,
                    null,
                    List.of(new ListenerRoutes.Group("", List.of(rule("", prefix("/"), "v1")))))));
    assertNotSame(first, more);
    assertFalse(first.equals(more));
    assertSame(
        first.match(ListenerKey.HTTP, "h", "/", Request.get()).upstream(),
        more.match(ListenerKey.opened(9000), "h", "/", Request.get()).upstream());
    // An edit of the Ingress rules keeps the Gateway API rules.
    RouteTable edited = more.edit().host(HostnamePattern.of("x.test"), List.of(), null).build();
    assertEquals(more.listenerRoutes(), edited.listenerRoutes());
    assertNull(RouteTable.empty().listenerRoutes(ListenerKey.HTTP));
  }
}
