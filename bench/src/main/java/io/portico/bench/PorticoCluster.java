package io.portico.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * Portico in cluster mode against fabric8's mock API server (CRUD mode: a real HTTPS server
 * speaking the Kubernetes API and watch protocol), which runs in this JVM. Portico reaches it
 * through a kubeconfig, with real informers; each change is an update through the API.
 */
final class PorticoCluster extends PorticoProcess {

  // Set by start(), which the harness calls first; close() runs after a failed start too.
  @SuppressWarnings("NullAway.Init")
  private KubernetesMockServer server;

  // Set by start(), which the harness calls first; close() runs after a failed start too.
  @SuppressWarnings("NullAway.Init")
  private KubernetesClient client;

  PorticoCluster(Setup setup, Path jar, List<String> javaOptions) {
    super(setup, jar, javaOptions);
  }

  @Override
  public String name() {
    return "portico-cluster";
  }

  @Override
  public void start() throws Exception {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            true);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = server.createClient();
    long started = System.nanoTime();
    StringBuilder all =
        new StringBuilder(Workload.bulk(setup.size()))
            .append(Workload.steady(setup.backend1()))
            .append(Workload.probe(0))
            .append(Workload.flip())
            .append(Workload.flipSlice(setup.backend1()));
    if (setup.tls()) {
      Certs.Cert first = setup.certs().get(0);
      all.append(Workload.tlsIngress())
          .append(Workload.tlsSecret(first.certBase64(), first.keyBase64()));
    }
    List<HasMetadata> objects = Workload.objects(all.toString());
    for (HasMetadata object : objects) {
      client.resource(object).create();
    }
    System.out.printf(
        "  mock API server: %d objects created in %.1f s%n",
        objects.size(), (System.nanoTime() - started) / 1e9);
    Path kubeconfig = setup.work().resolve("kubeconfig.yaml");
    Files.writeString(
        kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n    server: https://127.0.0.1:"
            + server.getPort()
            + "\n    insecure-skip-tls-verify: true\nusers:\n- name: bench\n  user:\n    token: bench\n"
            + "contexts:\n- name: mock\n  context:\n    cluster: mock\n    user: bench\n"
            + "    namespace: default\ncurrent-context: mock\n");
    launch(
        List.of(
            "--kubeconfig",
            kubeconfig.toString(),
            "--update-status=false",
            "--election-namespace",
            "default",
            "--sync-timeout",
            "300s"));
    awaitServing(300);
  }

  private void apply(String manifest) {
    for (HasMetadata object : Workload.objects(manifest)) {
      client.resource(object).createOr(existing -> existing.update());
    }
  }

  @Override
  public void changeIngress(int change) {
    apply(Workload.probe(change));
  }

  @Override
  public void changeSlice(int backendPort) {
    apply(Workload.flipSlice(backendPort));
  }

  @Override
  public void changeSecret(Certs.Cert cert) {
    apply(Workload.tlsSecret(cert.certBase64(), cert.keyBase64()));
  }

  @Override
  public void close() {
    super.close();
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.destroy();
    }
  }
}
