package io.portico.controller.annotations;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.Finding;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic auth from Ingresses and Secrets in a manifest folder to answers of the real server, in the
 * spirit of ingress-nginx's e2e tests (annotations/auth.go): the challenge with its realm, the
 * right user, a wrong one, a missing Secret (503, never served open), the auth-map form, and a
 * Secret changed in the folder. The hashes were made with {@code htpasswd -nbB} and {@code htpasswd
 * -nbm}.
 */
class BasicAuthThroughTheServerTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private Controller controller;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    String objects =
        Manifests.service("app-svc", app.port())
            + "---\n"
            + ingress(
                "file",
                "file.test",
                "auth-type: basic",
                "auth-secret: basic-auth",
                "auth-realm: \"test auth\"")
            + "---\n"
            + ingress(
                "map",
                "map.test",
                "auth-type: basic",
                "auth-secret: default/users",
                "auth-secret-type: auth-map")
            + "---\n"
            + ingress("missing", "missing.test", "auth-type: basic", "auth-secret: nothing-here")
            + "---\n"
            + ingress("plain", "plain.test");
    Files.writeString(folder.resolve("objects.yaml"), objects);
    writeSecrets("alice:" + BasicAuthFamilyTest.ALICE + "\n");
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the first configuration", CHANGE, () -> client.get("plain.test", "/").status() == 200);
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  private void writeSecrets(String file) throws Exception {
    Files.writeString(
        folder.resolve("secrets.yaml"),
        secret("basic-auth", "auth", file)
            + "---\n"
            + secret("users", "bob", BasicAuthFamilyTest.BOB));
  }

  private HttpProbe.Answer get(String host, String user, String password) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (user != null) {
      String pair = user + ":" + password;
      headers.add(
          "authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(HttpMethod.GET, host, "/", headers, Buffer.buffer());
  }

  @Test
  void withoutCredentialsTheChallengeNamesTheRealm() throws Exception {
    HttpProbe.Answer answer = get("file.test", null, null);
    assertEquals(401, answer.status());
    assertEquals("Basic realm=\"test auth\"", answer.headers().get("www-authenticate"));
    assertEquals(
        "401 Authorization Required\n", answer.text(), "Portico's answer, not the backend's");
  }

  @Test
  void theRightUserIsServedAndAWrongOneChallenged() throws Exception {
    assertEquals(200, get("file.test", "alice", "wonderland").status());
    assertEquals(200, get("file.test", "alice", "wonderland").status(), "again, from the cache");
    HttpProbe.Answer wrong = get("file.test", "alice", "looking-glass");
    assertEquals(401, wrong.status());
    assertEquals("Basic realm=\"test auth\"", wrong.headers().get("www-authenticate"));
    assertEquals(401, get("file.test", "mallory", "wonderland").status());
    assertEquals(200, client.get("plain.test", "/").status(), "other Ingresses are open");
  }

  @Test
  void anAuthMapHasOneKeyPerUser() throws Exception {
    assertEquals(200, get("map.test", "bob", "builder").status());
    assertEquals(401, get("map.test", "bob", "wonderland").status());
    assertEquals(401, get("map.test", "alice", "wonderland").status());
  }

  @Test
  void aMissingSecretAnswers503WithAWarningNamingTheIngressAndTheSecret() throws Exception {
    assertEquals(503, get("missing.test", null, null).status());
    assertEquals(503, get("missing.test", "alice", "wonderland").status());
    List<String> warnings =
        controller.latestTranslation().findings().stream()
            .filter(f -> f.severity() == Finding.Severity.WARNING)
            .map(Finding::toString)
            .toList();
    assertEquals(
        List.of(
            "WARNING Ingress default/missing InvalidAnnotation: nginx.ingress.kubernetes.io/"
                + "auth-secret: \"nothing-here\" (expected: a Secret that exists:"
                + " default/nothing-here does not); every route of the Ingress answers 503"),
        warnings);
  }

  @Test
  void aChangedSecretTakesEffect() throws Exception {
    writeSecrets("carol:" + BasicAuthFamilyTest.CAROL + "\n");
    Await.until("the new user", CHANGE, () -> get("file.test", "carol", "secret").status() == 200);
    assertEquals(401, get("file.test", "alice", "wonderland").status(), "the old user is gone");

    writeSecrets("alice:plaintext\n");
    Await.until(
        "503 without a line Portico reads",
        CHANGE,
        () -> get("file.test", "carol", "secret").status() == 503);
    assertFalse(
        controller.latestTranslation().findings().toString().contains("plaintext"),
        "never the content");
  }

  /** An Opaque Secret with one key, its value base64-encoded as the API server stores it. */
  static String secret(String name, String key, String value) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: default}
        type: Opaque
        data:
          %s: %s
        """
        .formatted(
            name, key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** An Ingress of one host with annotations under nginx.ingress.kubernetes.io/. */
  static String ingress(String name, String host, String... annotations) {
    return Manifests.annotatedIngress(
        name,
        host,
        Arrays.stream(annotations)
            .map(annotation -> "nginx.ingress.kubernetes.io/" + annotation)
            .toArray(String[]::new));
  }
}
