package io.portico.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.Manifests;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code portico explain --configmap} reads the controller ConfigMap from a cluster too. */
@EnableKubernetesMockClient(crud = true)
class ExplainConfigMapTest {

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path dir;

  @Test
  void theClustersConfigMapDecidesTheRedirect() throws Exception {
    ClusterHarness.apply(client, Manifests.service("app-svc", 8080));
    ClusterHarness.apply(
        client, Manifests.tlsIngress("secure", "app-svc", "secure.test", "secure-tls"));
    ClusterHarness.apply(
        client,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: portico-config, namespace: portico}
        data: {http-redirect-code: "301"}
        """);
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: test
          user: {token: test}
        contexts:
        - name: mock
          context: {cluster: mock, user: test, namespace: default}
        current-context: mock
        """
            .formatted(client.getMasterUrl()));

    CommandLine commandLine = Portico.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code =
        commandLine.execute(
            "explain",
            "--kubeconfig=" + kubeconfig,
            "--configmap=portico/portico-config",
            "http://secure.test/x");

    assertEquals(0, code, err.toString());
    assertTrue(
        out.toString()
            .contains("redirect  plain HTTP is answered 301 with the same URL over https://"),
        out.toString());
  }
}
