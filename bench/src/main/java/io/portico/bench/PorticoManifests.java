package io.portico.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Portico in manifest mode: each change rewrites one small file in the watched folder. */
final class PorticoManifests extends PorticoProcess {

  private final Path folder;

  PorticoManifests(Setup setup, Path jar, List<String> javaOptions) {
    super(setup, jar, javaOptions);
    this.folder = setup.work().resolve("manifests");
  }

  @Override
  public String name() {
    return "portico-manifests";
  }

  @Override
  public void start() throws Exception {
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("bulk.yaml"), Workload.bulk(setup.size()));
    Files.writeString(folder.resolve("steady.yaml"), Workload.steady(setup.backend1()));
    Files.writeString(folder.resolve("probe.yaml"), Workload.probe(0));
    Files.writeString(folder.resolve("flip.yaml"), Workload.flip());
    Files.writeString(folder.resolve("flip-slice.yaml"), Workload.flipSlice(setup.backend1()));
    if (setup.routes() > 0) {
      Files.writeString(folder.resolve("gateway.yaml"), Workload.gateway());
      Files.writeString(folder.resolve("routes.yaml"), Workload.bulkRoutes(setup.routes()));
      Files.writeString(folder.resolve("probe-route.yaml"), Workload.probeRoute(0));
    }
    if (setup.tls()) {
      Files.writeString(folder.resolve("tls.yaml"), Workload.tlsIngress());
      Certs.Cert first = setup.certs().get(0);
      Files.writeString(
          folder.resolve("secret.yaml"), Workload.tlsSecret(first.certBase64(), first.keyBase64()));
    }
    launch(List.of("--manifests", folder.toString()));
    awaitServing(300);
  }

  @Override
  public void changeIngress(int change) {
    Proc.replace(folder.resolve("probe.yaml"), Workload.probe(change));
  }

  @Override
  public boolean servesGatewayApi() {
    return true;
  }

  @Override
  public void changeRoute(int change) {
    Proc.replace(folder.resolve("probe-route.yaml"), Workload.probeRoute(change));
  }

  @Override
  public void changeSlice(int backendPort) {
    Proc.replace(folder.resolve("flip-slice.yaml"), Workload.flipSlice(backendPort));
  }

  @Override
  public void changeSecret(Certs.Cert cert) {
    Proc.replace(
        folder.resolve("secret.yaml"), Workload.tlsSecret(cert.certBase64(), cert.keyBase64()));
  }
}
