package io.portico.controller.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.portico.controller.source.ManifestParser;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RouteReadsTest {

  private final List<HTTPRoute> readAgain = new ArrayList<>();
  private final Function<HTTPRoute, Read<RouteView>> reader =
      route -> {
        readAgain.add(route);
        return RouteReader.httpRoute(route);
      };

  @Test
  void aRouteTheNextTranslationStillHoldsIsReadOnce() throws Exception {
    RouteReads reads = new RouteReads();
    HTTPRoute kept = route("kept", "/a");
    HTTPRoute changed = route("changed", "/b");
    Read<RouteView> first = reads.read(kept, reader);
    reads.read(changed, reader);
    reads.translated();

    // The next snapshot holds the same instance of one and a new instance of the other.
    HTTPRoute changedAgain = route("changed", "/c");
    Read<RouteView> second = reads.read(kept, reader);
    Read<RouteView> third = reads.read(changedAgain, reader);
    reads.translated();

    assertSame(first, second);
    assertEquals(List.of(kept, changed, changedAgain), readAgain);
    assertEquals("/c", path(third));
  }

  @Test
  void aRouteThatLeftTheSnapshotIsForgotten() throws Exception {
    RouteReads reads = new RouteReads();
    HTTPRoute gone = route("gone", "/a");
    reads.read(gone, reader);
    reads.read(route("stays", "/b"), reader);
    reads.translated();
    reads.translated(); // a translation that held neither

    reads.read(gone, reader);
    reads.translated();

    assertEquals(3, readAgain.size());
    assertEquals(1, reads.size());
  }

  @Test
  void anInvalidRouteKeepsItsProblems() throws Exception {
    RouteReads reads = new RouteReads();
    HTTPRoute invalid = route("invalid", "no-slash");
    Read<RouteView> first = reads.read(invalid, reader);
    reads.translated();

    assertSame(first, reads.read(invalid, reader));
    assertEquals(1, readAgain.size());
    assertFalse(first.valid());
  }

  private static String path(Read<RouteView> read) {
    return ((RouteMatch.HttpMatch) read.view().orElseThrow().rules().get(0).matches().get(0))
        .path()
        .value();
  }

  private static HTTPRoute route(String name, String path) throws Exception {
    String yaml =
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: apps}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{path: {type: PathPrefix, value: "%s"}}]
            backendRefs: [{name: app, port: 8080}]
        """
            .formatted(name, path);
    return (HTTPRoute) new ManifestParser().parse("test.yaml", yaml).get(0);
  }
}
