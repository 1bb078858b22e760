package io.portico.controller.cli;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.source.ManifestException;
import io.portico.controller.source.ManifestParser;
import io.portico.router.echo.EchoBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** The echo backends of {@code portico demo}: one per loopback endpoint of the folder. */
final class DemoBackends implements AutoCloseable {

  private final Vertx vertx;
  private final List<EchoBackend> backends;

  private DemoBackends(Vertx vertx, List<EchoBackend> backends) {
    this.vertx = vertx;
    this.backends = backends;
  }

  static DemoBackends start(Path folder) throws IOException, ManifestException {
    Map<String, String> wanted = loopbackEndpoints(folder);
    Vertx vertx = Vertx.vertx();
    List<EchoBackend> started = new ArrayList<>();
    try {
      for (Map.Entry<String, String> endpoint : wanted.entrySet()) {
        String[] hostPort = endpoint.getKey().split(" ");
        started.add(
            await(
                EchoBackend.start(
                    vertx, endpoint.getValue(), hostPort[0], Integer.parseInt(hostPort[1]))));
      }
    } catch (Exception e) {
      vertx.close();
      throw new IOException("cannot start the demo backends: " + Errors.describe(e), e);
    }
    return new DemoBackends(vertx, started);
  }

  /** "host port" of every loopback endpoint, with the app name to answer with. */
  private static Map<String, String> loopbackEndpoints(Path folder)
      throws IOException, ManifestException {
    ManifestParser parser = new ManifestParser();
    Map<String, String> endpoints = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
    }
    for (Path file : files) {
      for (HasMetadata object : parser.parse(file.toString(), Files.readString(file))) {
        if (object instanceof EndpointSlice slice) {
          addSlice(slice, endpoints);
        } else if (object instanceof Endpoints legacy) {
          addEndpoints(legacy, endpoints);
        }
      }
    }
    return endpoints;
  }

  private static void addSlice(EndpointSlice slice, Map<String, String> out) {
    String name =
        appName(
            slice,
            slice.getMetadata().getLabels() == null
                ? null
                : slice.getMetadata().getLabels().get(ClusterSnapshot.SERVICE_NAME_LABEL));
    if (slice.getEndpoints() == null || slice.getPorts() == null) {
      return;
    }
    for (var endpoint : slice.getEndpoints()) {
      for (String address : endpoint.getAddresses()) {
        for (EndpointPort port : slice.getPorts()) {
          if (isLoopback(address) && port.getPort() != null) {
            out.put(address + " " + port.getPort(), name);
          }
        }
      }
    }
  }

  private static void addEndpoints(Endpoints legacy, Map<String, String> out) {
    String name = appName(legacy, legacy.getMetadata().getName());
    if (legacy.getSubsets() == null) {
      return;
    }
    for (EndpointSubset subset : legacy.getSubsets()) {
      if (subset.getAddresses() == null || subset.getPorts() == null) {
        continue;
      }
      for (EndpointAddress address : subset.getAddresses()) {
        for (var port : subset.getPorts()) {
          if (isLoopback(address.getIp())) {
            out.put(address.getIp() + " " + port.getPort(), name);
          }
        }
      }
    }
  }

  /** The {@code app} label, else the Service's name: what the echo backend answers with. */
  private static String appName(HasMetadata object, @Nullable String service) {
    Map<String, String> labels = object.getMetadata().getLabels();
    if (labels != null && labels.get("app") != null) {
      return labels.get("app");
    }
    return service != null ? service : object.getMetadata().getName();
  }

  private static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  String summary() {
    StringBuilder out = new StringBuilder("demo: echo backends");
    for (EchoBackend backend : backends) {
      out.append(' ').append(backend.name()).append('@').append(backend.port());
    }
    return out.toString();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    vertx.close();
  }
}
