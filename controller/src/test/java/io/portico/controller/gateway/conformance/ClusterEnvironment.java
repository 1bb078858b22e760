package io.portico.controller.gateway.conformance;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.portico.controller.Controller;
import io.portico.controller.gateway.GatewaySettings;
import io.portico.controller.gateway.ListenerPorts;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.source.KubernetesSource;
import io.portico.controller.source.ManifestParser;
import io.portico.controller.status.ClusterReporter;
import io.portico.controller.testing.GatewayApiCrds;
import io.portico.controller.testing.MockApiServer;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.proxy.ProxySettings;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Portico against fabric8's mock API server with the Gateway API CRDs registered (their names,
 * versions, scope and status subresource: the mock neither validates nor defaults, so Portico's own
 * reading does both, as in manifests mode). Objects are created and updated through the API, which
 * bumps {@code metadata.generation} on spec changes, and status is what the leader wrote.
 */
final class ClusterEnvironment implements Environment {

  private final MockApiServer api;
  private final KubernetesClient client;
  private final Controller controller;
  private final GatewayPorts ports;
  private final Map<String, List<HasMetadata>> applied = new HashMap<>();

  ClusterEnvironment(Backends backends, GatewayPorts ports) throws Exception {
    this.ports = ports;
    this.api = new MockApiServer();
    this.client = api.client();
    GatewayApiCrds.install(client);
    apply("_base", Base.manifests(backends));
    GatewaySettings defaults = GatewaySettings.defaults();
    controller =
        Controller.start(
            ControllerSettings.builder(
                    new SourceSettings.Cluster(
                        client.getConfiguration(),
                        new KubernetesSource.Settings(
                            List.of(),
                            KubernetesSource.EndpointsApi.ENDPOINTSLICES,
                            Duration.ofSeconds(20)),
                        new ClusterReporter.Settings(
                            "portico",
                            "portico-leader",
                            "conformance",
                            Optional.empty(),
                            List.of("127.0.0.1"),
                            true,
                            Duration.ofSeconds(4),
                            Duration.ofSeconds(2),
                            Duration.ofMillis(200))))
                .translator(
                    TranslatorSettings.defaults()
                        .withGateway(
                            new GatewaySettings(
                                true,
                                defaults.controllerName(),
                                ListenerPorts.parse(ports.entries()),
                                defaults.addresses(),
                                defaults.supportedFeatures(),
                                defaults.crdBundleVersions())))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build());
  }

  @Override
  public void apply(String name, String yaml) throws Exception {
    List<HasMetadata> objects = new ManifestParser().parse(name, yaml);
    for (HasMetadata object : objects) {
      // The API server sets these; what a manifest says of them is not the client's to send.
      object.getMetadata().setGeneration(null);
      object.getMetadata().setCreationTimestamp(null);
      client.resource(object).createOr(existing -> existing.update());
    }
    applied.put(name, objects);
  }

  @Override
  public void delete(String name) throws Exception {
    for (HasMetadata object : applied.getOrDefault(name, List.of())) {
      client.resource(object).delete();
    }
    applied.remove(name);
  }

  @Override
  public JsonObject object(String kind, String namespace, String name) {
    Class<? extends HasMetadata> type =
        switch (kind) {
          case "GatewayClass" -> GatewayClass.class;
          case "Gateway" -> Gateway.class;
          case "HTTPRoute" -> HTTPRoute.class;
          case "GRPCRoute" -> GRPCRoute.class;
          case "Ingress" -> io.fabric8.kubernetes.api.model.networking.v1.Ingress.class;
          default -> throw new IllegalArgumentException("kind: " + kind);
        };
    HasMetadata object =
        namespace == null
            ? client.resources(type).withName(name).get()
            : client.resources(type).inNamespace(namespace).withName(name).get();
    if (object == null) {
      return null;
    }
    return new JsonObject(Serialization.asJson(object));
  }

  @Override
  public int port(String namespace, String gateway, int gatewayPort) {
    return ports.port(namespace, gateway, gatewayPort);
  }

  @Override
  public String mode() {
    return "cluster";
  }

  @Override
  public void close() {
    controller.close();
    api.close();
  }
}
