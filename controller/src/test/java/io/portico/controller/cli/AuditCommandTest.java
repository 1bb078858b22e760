package io.portico.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.testing.ClusterHarness;
import io.portico.controller.testing.Manifests;
import io.portico.controller.testing.MockApiServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code portico audit} on a folder written for ingress-nginx, and on a cluster. */
class AuditCommandTest {

  private static final Path EXAMPLES = Path.of("..", "examples", "ingress-nginx");

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run audit(String... args) {
    CommandLine commandLine = Portico.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    String[] all = Stream.concat(Stream.of("audit"), Stream.of(args)).toArray(String[]::new);
    return new Run(commandLine.execute(all), out.toString(), err.toString());
  }

  @Test
  void aFolderWithRefusedIngressesIsExitCode1AndSaysWhy() {
    assertTrue(Files.isDirectory(EXAMPLES), "run from the controller module");
    Run run = audit("--manifests=" + EXAMPLES, "--ingress-class=nginx");
    assertEquals(1, run.code(), run.err());
    String out = run.out();
    // Basic auth is honoured; its Secret is not in the folder, so the routes would answer 503.
    assertTrue(out.contains("Ingress shop/admin (class nginx): would be served"), out);
    assertTrue(
        out.contains("  honoured  nginx.ingress.kubernetes.io/auth-type (basic-auth family)"), out);
    assertTrue(
        out.contains(
            "  problem   InvalidAnnotation: nginx.ingress.kubernetes.io/auth-secret: \"admin-users\""
                + " (expected: a Secret that exists: shop/admin-users does not); every route of the"
                + " Ingress answers 503"),
        out);
    assertTrue(
        out.contains(
            "  honoured  nginx.ingress.kubernetes.io/whitelist-source-range (source-ranges family)"),
        out);
    assertTrue(out.contains("Ingress shop/storefront (class nginx): would be served"), out);
    assertTrue(
        out.contains("  honoured  nginx.ingress.kubernetes.io/affinity (affinity family)"), out);
    assertTrue(
        out.contains("  problem   SecretNotFound: spec.tls[0]: Secret shop/shop-example"), out);
    // The legacy class annotation counts; another controller's Ingress does not.
    assertTrue(out.contains("Ingress shop/legacy-status (class nginx): REFUSED"), out);
    assertTrue(
        out.contains("  problem   ServiceNotFound: Service shop/status-page not found"), out);
    assertFalse(out.contains("shop/blog"), out);
    assertTrue(out.endsWith(" other problems\n"), out);
  }

  @Test
  void theMigrationPageAndTheReadmeShowThisRun() throws Exception {
    String command =
        "$ java -jar controller/target/portico.jar audit --manifests examples/ingress-nginx"
            + " --ingress-class nginx\n";
    Run run = audit("--manifests=" + EXAMPLES, "--ingress-class=nginx");
    String page = Files.readString(Path.of("..", "docs", "migrating-from-ingress-nginx.md"));
    String shown =
        page.substring(page.indexOf(command) + command.length(), page.indexOf("$ echo $?"));
    assertEquals(run.out(), shown, "docs/migrating-from-ingress-nginx.md shows another run");
    String readme = Files.readString(Path.of("..", "README.md"));
    String excerpt =
        readme.substring(readme.indexOf(command) + command.length(), readme.indexOf("$ echo $?"));
    for (String line : excerpt.lines().toList()) {
      assertTrue(line.equals("...") || run.out().contains(line + "\n"), "README shows: " + line);
    }
  }

  @Test
  void toGatewayPrintsTheObjectsAndTheDocsShowThisRun() throws Exception {
    Run run = audit("--manifests=" + EXAMPLES, "--ingress-class=nginx", "--to-gateway");
    assertEquals(0, run.code(), run.err());
    assertEquals(
        "audit: 4 Ingresses: 2 converted into 1 Gateway and 3 HTTPRoutes, 2 left as Ingresses;"
            + " the comments above each object say what has no equivalent\n",
        run.err());
    String command =
        "$ java -jar controller/target/portico.jar audit --manifests examples/ingress-nginx"
            + " --ingress-class nginx --to-gateway > gateway-api.yaml\n";
    String cat = "$ cat gateway-api.yaml\n";
    String page = Files.readString(Path.of("..", "docs", "migrating-from-ingress-nginx.md"));
    int at = page.indexOf(command);
    assertTrue(at >= 0, "docs/migrating-from-ingress-nginx.md shows no --to-gateway run");
    int yaml = page.indexOf(cat, at) + cat.length();
    assertEquals(run.err(), page.substring(at + command.length(), yaml - cat.length()));
    assertEquals(
        run.out(),
        page.substring(yaml, page.indexOf("```\n", yaml)),
        "docs/migrating-from-ingress-nginx.md shows another run");
    String gatewayPage = Files.readString(Path.of("..", "docs", "gateway-api.md"));
    int excerptAt = gatewayPage.indexOf(command);
    assertTrue(excerptAt >= 0, "docs/gateway-api.md shows no --to-gateway run");
    String excerpt =
        gatewayPage.substring(
            excerptAt + command.length(), gatewayPage.indexOf("```\n", excerptAt));
    for (String line : excerpt.lines().toList()) {
      assertTrue(
          line.equals("...")
              || line.equals(cat.strip())
              || (run.out() + run.err()).contains(line + "\n"),
          "docs/gateway-api.md shows: " + line);
    }
  }

  @Test
  void toGatewayReadsAClusterAsItReadsAFolder() throws Exception {
    try (MockApiServer api = new MockApiServer()) {
      ClusterHarness.apply(api.client(), String.join("\n---\n", yamlFiles(EXAMPLES)));
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig(api.port()));
      Run cluster = audit("--kubeconfig=" + kubeconfig, "--ingress-class=nginx", "--to-gateway");
      assertEquals(0, cluster.code(), cluster.err());
      assertEquals(
          audit("--manifests=" + EXAMPLES, "--ingress-class=nginx", "--to-gateway").out(),
          cluster.out());
    }
  }

  @Test
  void toGatewayFlagsAreChecked() {
    Run channel = audit("--manifests=" + EXAMPLES, "--to-gateway", "--gateway-channel=beta");
    assertEquals(2, channel.code());
    assertEquals(
        "audit: --gateway-channel beta (expected: standard or experimental)\n", channel.err());
    assertEquals(2, audit("--manifests=" + EXAMPLES, "--to-gateway", "--output=json").code());
    Run placed =
        audit(
            "--manifests=" + EXAMPLES,
            "--ingress-class=nginx",
            "--to-gateway",
            "--gateway-class=edge",
            "--gateway-namespace=infra");
    assertEquals(0, placed.code(), placed.err());
    assertTrue(placed.out().contains("  gatewayClassName: edge\n"), placed.out());
    assertTrue(
        placed.out().contains("  - name: nginx\n    namespace: infra\n    sectionName: http\n"),
        placed.out());
    // The Secret of shop's listener is in another namespace than the Gateway's now.
    assertTrue(placed.out().contains("kind: ReferenceGrant\n"), placed.out());
  }

  @Test
  void everyClassWithoutTheFilter() {
    Run run = audit("--manifests=" + EXAMPLES);
    assertTrue(run.out().contains("Ingress shop/blog (class traefik): would be served"), run.out());
  }

  @Test
  void jsonForScripts() {
    Run run = audit("--manifests=" + EXAMPLES, "--ingress-class=nginx", "--output=json");
    assertEquals(1, run.code(), run.err());
    JsonObject json = new JsonObject(run.out());
    JsonObject summary = json.getJsonObject("summary");
    assertEquals(4, summary.getInteger("ingresses"));
    assertEquals(1, summary.getInteger("refused"));
    assertEquals(1, summary.getJsonObject("annotations").getInteger("refused"));
    JsonObject legacy = ingress(json.getJsonArray("ingresses"), "legacy-status");
    assertTrue(legacy.getBoolean("refused"));
    assertEquals("nginx", legacy.getString("class"));
    JsonObject first = legacy.getJsonArray("annotations").getJsonObject(0);
    assertEquals(
        "nginx.ingress.kubernetes.io/configuration-snippet", first.getString("annotation"));
    assertEquals("refused", first.getString("state"));
    assertTrue(first.getString("reason").startsWith("holds nginx configuration text"));
    JsonObject admin = ingress(json.getJsonArray("ingresses"), "admin");
    assertFalse(admin.getBoolean("refused"));
    assertEquals(
        "InvalidAnnotation", admin.getJsonArray("problems").getJsonObject(0).getString("reason"));
    JsonObject storefront = ingress(json.getJsonArray("ingresses"), "storefront");
    assertFalse(storefront.getBoolean("refused"));
    assertEquals(
        "SecretNotFound", storefront.getJsonArray("problems").getJsonObject(0).getString("reason"));
  }

  @Test
  void nothingRefusedIsExitCode0EvenWithProblems() throws Exception {
    String app =
        Manifests.ingress("app", "app.test", "/", "app-svc")
            .replace("ingressClassName: portico", "ingressClassName: nginx");
    Files.writeString(
        dir.resolve("app.yaml"),
        Manifests.service("app-svc", 8080)
            + "---\n"
            + app.replace(
                "namespace: default}",
                "namespace: default, creationTimestamp: 2026-01-01T00:00:00Z}")
            + "---\n"
            + app.replace("name: app,", "name: copy,")
                .replace(
                    "namespace: default}",
                    "namespace: default, creationTimestamp: 2026-02-01T00:00:00Z}"));
    Run run = audit("--manifests=" + dir, "--ingress-class=nginx");
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(
        run.out().startsWith("Ingress default/app (class nginx): would be served"), run.out());
    // The newer of two Ingresses claiming the same rule loses it: a problem, not a refusal.
    assertTrue(
        run.out()
            .contains(
                "Ingress default/copy (class nginx): would be served\n  problem   RuleConflict: "),
        run.out());
  }

  @Test
  void snippetsCanBeAuditedAsIgnored() {
    Run run =
        audit("--manifests=" + EXAMPLES, "--ingress-class=nginx", "--snippet-annotations=ignore");
    assertTrue(
        run.out().contains("Ingress shop/legacy-status (class nginx): would be served"), run.out());
  }

  @Test
  void theIngressNginxConfigMapsRiskLevelRefusesAsIngressNginxDid() throws Exception {
    String aliased =
        Manifests.ingress("aliased", "aliased.test", "/", "app-svc")
            .replace("ingressClassName: portico", "ingressClassName: nginx")
            .replace(
                "namespace: default}",
                "namespace: default, annotations: {nginx.ingress.kubernetes.io/server-alias:"
                    + " www.aliased.test}}");
    String objects =
        Manifests.service("app-svc", 8080)
            + "---\n"
            + aliased
            + "---\n"
            + """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
            data: {annotations-risk-level: Medium}
            """;
    Files.writeString(dir.resolve("objects.yaml"), objects);
    String configMap = "--configmap=ingress-nginx/ingress-nginx-controller";
    String refusal =
        "Ingress default/aliased (class nginx): REFUSED, would not be served\n"
            + "  refused   nginx.ingress.kubernetes.io/server-alias: risk High, above the"
            + " ConfigMap's annotations-risk-level Medium\n";

    Run run = audit("--manifests=" + dir, "--ingress-class=nginx", configMap);
    assertEquals(1, run.code(), run.out() + run.err());
    assertTrue(run.out().startsWith(refusal), run.out());
    // Without the ConfigMap, the built-in High: server-alias is only ignored.
    assertEquals(0, audit("--manifests=" + dir, "--ingress-class=nginx").code());
    assertEquals(2, audit("--manifests=" + dir, "--configmap=no-namespace").code());

    try (MockApiServer api = new MockApiServer()) {
      ClusterHarness.apply(api.client(), objects);
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig(api.port()));
      Run cluster = audit("--kubeconfig=" + kubeconfig, "--ingress-class=nginx", configMap);
      assertEquals(1, cluster.code(), cluster.err());
      assertTrue(cluster.out().startsWith(refusal), cluster.out());
    }
  }

  @Test
  void anUnreadableFileOrABadFlagIsExitCode2() throws Exception {
    Files.writeString(dir.resolve("broken.yaml"), "kind: Ingress\nmetadata: {name: x\n");
    Run broken = audit("--manifests=" + dir);
    assertEquals(2, broken.code());
    assertTrue(broken.err().contains("broken.yaml not read"), broken.err());
    assertEquals(2, audit("--manifests=" + dir, "--output=yaml").code());
    assertEquals(2, audit("--manifests=/nonexistent/portico").code());
  }

  @Test
  void aClusterIsReadWithListCallsOnly() throws Exception {
    try (MockApiServer api = new MockApiServer()) {
      String objects = String.join("\n---\n", yamlFiles(EXAMPLES));
      ClusterHarness.apply(api.client(), objects);
      ClusterHarness.apply(
          api.client(),
          """
          apiVersion: v1
          kind: Secret
          metadata: {name: unrelated, namespace: shop}
          type: Opaque
          stringData: {password: hunter2}
          """);
      int before = api.calls().size();
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig(api.port()));

      Run run = audit("--kubeconfig=" + kubeconfig, "--ingress-class=nginx", "--namespace=shop");
      assertEquals(1, run.code(), run.err());
      // The same objects from the API server as from the folder: the same report.
      assertEquals(audit("--manifests=" + EXAMPLES, "--ingress-class=nginx").out(), run.out());

      List<MockApiServer.Call> calls = api.calls().subList(before, api.calls().size());
      assertFalse(calls.isEmpty());
      for (MockApiServer.Call call : calls) {
        assertEquals("GET", call.method(), call.toString());
        assertFalse(call.path().contains("watch"), call.toString());
        // Lists only: a path ending in a name would be a get of one object.
        assertTrue(
            call.path()
                .matches(
                    "/apis?/.*/(ingresses|ingressclasses|services|endpointslices|secrets)(\\?.*)?"),
            call.toString());
      }
      assertTrue(
          calls.stream()
              .anyMatch(c -> c.path().contains("/secrets") && c.path().contains("fieldSelector")),
          "only kubernetes.io/tls and Opaque Secrets are asked for: " + calls);
    }
  }

  private static JsonObject ingress(JsonArray ingresses, String name) {
    return ingresses.stream()
        .map(JsonObject.class::cast)
        .filter(i -> i.getString("name").equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> yamlFiles(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .sorted()
          .map(
              f -> {
                try {
                  return Files.readString(f);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }

  private static String kubeconfig(int port) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
        users:
        - name: auditor
          user: {token: audit-token}
        contexts:
        - name: mock
          context: {cluster: mock, user: auditor}
        current-context: mock
        """
        .formatted(port);
  }
}
