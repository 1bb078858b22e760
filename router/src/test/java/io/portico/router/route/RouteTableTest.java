package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private static Route route(String host, PathMatch path, String service, String ingress) {
    return new Route(
        HostnamePattern.of(host),
        path,
        Backend.of(new BackendId("default", service, "80"), List.of(Endpoint.of("10.0.0.1", 80))),
        new RouteOrigin("default", ingress));
  }

  @Test
  void firstClaimOnHostPathAndTypeKeepsIt() {
    RouteTableBuilder builder = RouteTable.builder();
    Route older = route("app.test", PathMatch.prefix("/a"), "old", "older");
    Route newer = route("app.test", PathMatch.prefix("/a/"), "new", "newer");
    assertEquals(Optional.empty(), builder.add(older));
    assertEquals(Optional.of(older), builder.add(newer));
    assertEquals(
        Optional.empty(), builder.add(route("app.test", PathMatch.exact("/a"), "exact", "newer")));
    RouteTable table = builder.build();
    assertEquals("old", table.match("app.test", "/a/x").route().backend().id().service());
    assertEquals("exact", table.match("app.test", "/a").route().backend().id().service());
    assertEquals(2, table.routes().size());
  }

  @Test
  void dumpListsHostsInPrecedenceOrderWithTheirDefaults() {
    RouteTableBuilder builder = RouteTable.builder();
    builder.add(route("", PathMatch.prefix("/"), "any", "c"));
    builder.add(route("*.example.com", PathMatch.prefix("/"), "wild", "b"));
    builder.add(route("app.test", PathMatch.prefix("/app1"), "app1", "a"));
    builder.add(route("app.test", PathMatch.exact("/app1/x"), "x", "a"));
    builder.fallback(route("app.test", PathMatch.prefix("/"), "fallback", "a"));
    String expected =
        """
        host app.test
          Exact  /app1/x -> default/x:80 [10.0.0.1:80]  (default/a)
          Prefix /app1 -> default/app1:80 [10.0.0.1:80]  (default/a)
          default -> default/fallback:80 [10.0.0.1:80]  (default/a)
        host *.example.com
          Prefix / -> default/wild:80 [10.0.0.1:80]  (default/b)
        host *
          Prefix / -> default/any:80 [10.0.0.1:80]  (default/c)
        """;
    assertEquals(expected, builder.build().dump());
  }

  @Test
  void tablesWithEqualRoutesAreEqualAndShareNothingMutable() {
    RouteTable first = RouteTable.builder().build();
    assertEquals(first, RouteTable.empty());
    RouteTableBuilder a = RouteTable.builder();
    RouteTableBuilder b = RouteTable.builder();
    a.add(route("app.test", PathMatch.prefix("/"), "svc", "ing"));
    b.add(route("app.test", PathMatch.prefix("/"), "svc", "ing"));
    RouteTable ta = a.build();
    RouteTable tb = b.build();
    assertEquals(ta, tb);
    assertEquals(ta.hashCode(), tb.hashCode());
    assertNotEquals(ta, RouteTable.empty());
  }

  @Test
  void routesWithTheSameBackendShareOneUpstream() {
    RouteTableBuilder builder = RouteTable.builder();
    builder.add(route("a.test", PathMatch.prefix("/"), "svc", "ing"));
    builder.add(route("b.test", PathMatch.prefix("/x"), "svc", "ing"));
    RouteTable table = builder.build();
    assertSame(table.match("a.test", "/").upstream(), table.match("b.test", "/x").upstream());
  }

  @Test
  void fallbackIsMarkedSoTheProxyCanTellARuleFromADefault() {
    RouteTableBuilder builder = RouteTable.builder();
    builder.add(route("app.test", PathMatch.prefix("/a"), "a", "ing"));
    builder.fallback(route("app.test", PathMatch.prefix("/"), "d", "ing"));
    RouteTable table = builder.build();
    assertTrue(table.match("app.test", "/b").fallback());
    assertNull(RouteTable.empty().match("app.test", "/"));
  }

  @Test
  void wildcardMustBeTheWholeFirstLabel() {
    assertThrows(IllegalArgumentException.class, () -> HostnamePattern.of("a.*.example.com"));
    assertThrows(IllegalArgumentException.class, () -> HostnamePattern.of("*foo.example.com"));
    assertThrows(IllegalArgumentException.class, () -> HostnamePattern.of("*."));
    assertEquals(HostnamePattern.Kind.WILDCARD, HostnamePattern.of("*.Example.COM").kind());
    assertEquals("*.example.com", HostnamePattern.of("*.Example.COM").value());
  }

  @Test
  void upstreamRoundRobinsAndRetriesElsewhere() {
    Endpoint e1 = Endpoint.of("10.0.0.1", 80);
    Endpoint e2 = Endpoint.of("10.0.0.2", 80);
    Upstream upstream = new Upstream(Backend.of(new BackendId("d", "s", "80"), List.of(e1, e2)));
    assertEquals(List.of(e1, e2, e1), List.of(upstream.pick(), upstream.pick(), upstream.pick()));
    assertEquals(e2, upstream.pickOther(e1));
    assertEquals(e1, upstream.pickOther(e2));
    Upstream single = new Upstream(Backend.of(new BackendId("d", "s", "80"), List.of(e1)));
    assertNull(single.pickOther(e1));
    assertNull(new Upstream(Backend.of(new BackendId("d", "s", "80"), List.of())).pick());
  }
}
