package io.portico.controller.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.portico.controller.source.ManifestParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case in {@code src/test/resources/gateway} (see its README): the objects of {@code
 * _base.yaml} and of the case through {@link GatewayApiTranslation}, compared with the case's
 * {@code .expected} dump of status, routes and findings.
 *
 * <p>The status expectations of these core conformance tests of Gateway API v1.6.1 are ported in
 * spirit, one case per group (the case named in brackets):
 *
 * <ul>
 *   <li>GatewayClassObservedGenerationBump [gatewayclass-acceptance]
 *   <li>GatewayListenerUnsupportedProtocol [listener-unsupported-protocol]
 *   <li>GatewayInvalidParametersRef [gateway-invalid-parameters-ref]
 *   <li>GatewayInvalidRouteKind [listener-invalid-route-kind]
 *   <li>GatewayInvalidTLSConfiguration [listener-invalid-tls]
 *   <li>GatewaySecretInvalidReferenceGrant, GatewaySecretMissingReferenceGrant,
 *       GatewaySecretReferenceGrantAllInNamespace, GatewaySecretReferenceGrantSpecific
 *       [listener-secret-reference-grants]
 *   <li>GatewayModifyListeners, GatewayObservedGenerationBump [gateway-modified-listeners]
 *   <li>GatewayWithAttachedRoutes [gateway-with-attached-routes]
 *   <li>HTTPRouteHostnameIntersection [route-hostname-intersection]
 *   <li>HTTPRouteListenerHostnameMatching [route-listener-hostname-matching]
 *   <li>HTTPRouteInvalidBackendRefUnknownKind, HTTPRouteInvalidCrossNamespaceBackendRef,
 *       HTTPRouteInvalidNonExistentBackendRef, HTTPRouteInvalidReferenceGrant,
 *       HTTPRoutePartiallyInvalidViaInvalidReferenceGrant, HTTPRouteReferenceGrant,
 *       HTTPRouteNoBackendRefs, HTTPRouteCrossNamespace [route-backend-refs]
 *   <li>HTTPRouteInvalidCrossNamespaceParentRef, HTTPRouteInvalidParentRefNotMatchingSectionName,
 *       HTTPRouteMultipleGateways, HTTPRouteSimpleSameNamespace, HTTPRouteObservedGenerationBump
 *       [route-parent-refs]
 *   <li>HTTPRouteExactPathMatching, HTTPRouteHeaderMatching, HTTPRouteMatching,
 *       HTTPRouteMatchingAcrossRoutes, HTTPRoutePathMatchOrder [route-match-precedence]
 *   <li>HTTPRouteWeight, HTTPRouteRequestHeaderModifier, HTTPRouteRedirectHostAndStatus
 *       [route-weights-and-filters]
 *   <li>GRPCExactMethodMatching, GRPCRouteHeaderMatching, GRPCRouteWeight [grpc-routes]
 * </ul>
 *
 * The traffic half of those tests needs the data plane and comes with it.
 */
class GatewayFixtureTest {

  @TestFactory
  Stream<DynamicTest> fixtures() throws IOException, URISyntaxException {
    Path dir = Path.of(getClass().getResource("/gateway").toURI());
    List<Path> cases;
    try (Stream<Path> listing = Files.list(dir)) {
      cases =
          listing
              .filter(p -> p.toString().endsWith(".yaml"))
              .filter(p -> !p.getFileName().toString().startsWith("_"))
              .sorted()
              .toList();
    }
    assertFalse(cases.isEmpty(), "no fixtures in " + dir);
    return cases.stream()
        .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)));
  }

  private static void check(Path file) throws Exception {
    String actual = translate(file).dump();
    String name = file.getFileName().toString().replace(".yaml", ".expected");
    Path expected = file.resolveSibling(name);
    if (!Files.exists(expected)) {
      Path written = Path.of("target", "gateway-actual", name);
      Files.createDirectories(written.getParent());
      Files.writeString(written, actual, StandardCharsets.UTF_8);
      fail("no " + name + " yet; this translation was written to " + written.toAbsolutePath());
    }
    assertEquals(Files.readString(expected), actual, file.toString());
  }

  /** Translates a case with the base objects, honouring its {@code # flags:} line. */
  static Result translate(Path file) throws Exception {
    ManifestParser parser = new ManifestParser();
    Path base = file.resolveSibling("_base.yaml");
    String text = Files.readString(file);
    List<HasMetadata> objects = new ArrayList<>(parser.parse("_base.yaml", Files.readString(base)));
    objects.addAll(parser.parse(file.getFileName().toString(), text));
    return translate(objects, settings(text));
  }

  static Result translate(List<HasMetadata> objects, GatewaySettings settings) {
    List<GatewayClass> classes = new ArrayList<>();
    List<Gateway> gateways = new ArrayList<>();
    List<HTTPRoute> httpRoutes = new ArrayList<>();
    List<GRPCRoute> grpcRoutes = new ArrayList<>();
    List<HasMetadata> grants = new ArrayList<>();
    for (HasMetadata object : objects) {
      if (object instanceof GatewayClass gatewayClass) {
        classes.add(gatewayClass);
      } else if (object instanceof Gateway gateway) {
        gateways.add(gateway);
      } else if (object instanceof HTTPRoute route) {
        httpRoutes.add(route);
      } else if (object instanceof GRPCRoute route) {
        grpcRoutes.add(route);
      } else if (object.getKind().equals("ReferenceGrant")) {
        grants.add(object);
      }
    }
    GatewayApiInputs inputs =
        new GatewayApiInputs(
            classes, gateways, httpRoutes, grpcRoutes, grants, new FixtureReferences(objects));
    return new Result(GatewayApiTranslation.translate(inputs, settings, new RouteReads()));
  }

  /** A translation and its dump. */
  record Result(GatewayApiTranslation translation) {

    String dump() {
      StringBuilder out = new StringBuilder(translation.status().dump());
      out.append("--- routes\n").append(translation.routes().dump());
      out.append("--- findings\n");
      translation.findings().forEach(f -> out.append(f).append('\n'));
      return out.toString();
    }
  }

  private static GatewaySettings settings(String text) {
    GatewaySettings settings = GatewaySettings.defaults();
    String firstLine = text.lines().findFirst().orElse("");
    if (!firstLine.startsWith("# flags:")) {
      return settings;
    }
    ListenerPorts ports = settings.ports();
    List<GatewayView.Address> addresses = settings.addresses();
    for (String flag : firstLine.substring("# flags:".length()).trim().split("\\s+")) {
      if (flag.startsWith("--gateway-listener-ports=")) {
        ports =
            ListenerPorts.parse(
                List.of(flag.substring("--gateway-listener-ports=".length()).split(",")));
      } else if (flag.startsWith("--publish-status-address=")) {
        addresses =
            List.of(
                new GatewayView.Address(
                    "IPAddress", flag.substring("--publish-status-address=".length())));
      } else {
        throw new IllegalArgumentException("unknown fixture flag " + flag);
      }
    }
    return new GatewaySettings(
        true,
        settings.controllerName(),
        ports,
        addresses,
        settings.supportedFeatures(),
        settings.crdBundleVersions());
  }
}
