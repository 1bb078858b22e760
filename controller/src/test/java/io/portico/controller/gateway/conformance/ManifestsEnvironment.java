package io.portico.controller.gateway.conformance;

import io.portico.controller.Controller;
import io.portico.controller.gateway.GatewaySettings;
import io.portico.controller.gateway.ListenerPorts;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.HttpProbe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Portico serving a folder of manifests: objects are files, and status is what {@code GET /status}
 * on the admin port says Portico would write.
 */
final class ManifestsEnvironment implements Environment {

  private final Path folder;
  private final Controller controller;
  private final HttpProbe admin;
  private final GatewayPorts ports;

  ManifestsEnvironment(Vertx vertx, Path folder, Backends backends, GatewayPorts ports)
      throws Exception {
    this.folder = folder;
    this.ports = ports;
    Files.writeString(folder.resolve("_base.yaml"), Base.manifests(backends));
    GatewaySettings defaults = GatewaySettings.defaults();
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
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
    admin = new HttpProbe(vertx, controller.adminPort());
  }

  @Override
  public void apply(String name, String yaml) throws Exception {
    Path temporary = folder.resolve("." + name + ".tmp");
    Files.writeString(temporary, yaml);
    Files.move(
        temporary,
        folder.resolve(name + ".yaml"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void delete(String name) throws Exception {
    Files.deleteIfExists(folder.resolve(name + ".yaml"));
  }

  @Override
  public JsonObject object(String kind, String namespace, String name) throws Exception {
    JsonArray items = admin.get("localhost", "/status").json().getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      JsonObject metadata = item.getJsonObject("metadata");
      if (item.getString("kind").equals(kind)
          && metadata.getString("name").equals(name)
          && Objects.equals(metadata.getString("namespace"), namespace)) {
        return item;
      }
    }
    return null;
  }

  @Override
  public int port(String namespace, String gateway, int gatewayPort) {
    return ports.port(namespace, gateway, gatewayPort);
  }

  @Override
  public String mode() {
    return "manifests";
  }

  @Override
  public void close() {
    controller.close();
  }
}
