package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.access.ClientCertificatePolicy;
import io.portico.router.access.ClientCertificateUnusablePolicy;
import io.portico.router.access.ClientVerifyMode;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.ClientCertificateAuthority;
import io.portico.tls.KeyType;
import io.portico.tls.Pem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code auth-tls-*} annotations read into a client certificate policy, and every way they fail
 * closed, with ingress-nginx's {@code authtls} parser and e2e cases in mind.
 */
class ClientCertificateFamilyTest {

  private static final ClientCertificateFamily FAMILY = new ClientCertificateFamily();
  private static final String PREFIX = "nginx.ingress.kubernetes.io/";
  private static final String CA_PEM =
      Pem.certificates(
          CertificateGenerator.certificateAuthority(
                  "Client CA", KeyType.EC_P256, Duration.ofDays(30), Instant.now())
              .chain());

  private static final class Secrets implements SecretLookup {
    final Map<String, Content> secrets = new HashMap<>();
    final List<String> asked = new ArrayList<>();

    Secrets with(String key, String type, Map<String, String> data) {
      secrets.put(key, new Content(type, data, Set.of()));
      return this;
    }

    @Override
    public Optional<Content> secret(String namespace, String name) {
      asked.add(namespace + "/" + name);
      return Optional.ofNullable(secrets.get(namespace + "/" + name));
    }
  }

  private final Secrets secrets =
      new Secrets()
          .with("default/ca", "Opaque", Map.of("ca.crt", CA_PEM))
          .with("default/tls-with-ca", "kubernetes.io/tls", Map.of("ca.crt", CA_PEM))
          .with("other/ca", "Opaque", Map.of("ca.crt", CA_PEM))
          .with("default/no-ca", "Opaque", Map.of("tls.crt", CA_PEM))
          .with("default/garbled", "Opaque", Map.of("ca.crt", "not a certificate"))
          .with("default/bad-crl", "Opaque", Map.of("ca.crt", CA_PEM, "ca.crl", "junk"));

  private FamilyRun run(ControllerConfig config, String... keysAndValues) {
    Map<String, String> annotations = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      annotations.put(PREFIX + keysAndValues[i], keysAndValues[i + 1]);
    }
    return FamilyRun.of(
        FAMILY,
        annotations,
        new IngressContext("default", "test", Set.of(), config, ConfigMapLookup.NONE, secrets));
  }

  private FamilyRun run(String... keysAndValues) {
    return run(ControllerConfig.DEFAULTS, keysAndValues);
  }

  private static RequestPolicy only(FamilyRun run) {
    List<RequestPolicy> all = new ArrayList<>();
    for (RoutePolicyRule rule : run.policy.routeRules()) {
      all.addAll(rule.policies(HostnamePattern.of("a.test"), PathMatch.prefix("/")));
    }
    assertEquals(1, all.size(), all.toString());
    return all.get(0);
  }

  private static ClientCertificatePolicy expected(
      ClientVerifyMode mode, int depth, Optional<String> page, boolean pass, Optional<String> cn)
      throws Exception {
    return new ClientCertificatePolicy(
        mode, ClientCertificateAuthority.fromPem(CA_PEM, null), depth, page, pass, cn);
  }

  @Test
  void withoutTheAnnotationsNothingIsAsked() {
    FamilyRun run = run();
    assertEquals(IngressPolicy.DEFAULT, run.policy);
    assertEquals(List.of(), run.reports);
    assertEquals(List.of(), secrets.asked);
  }

  @Test
  void aSecretAloneRequiresACertificateOfItsCaWithDepthOne() throws Exception {
    FamilyRun run = run("auth-tls-secret", "default/ca");
    assertEquals(
        expected(ClientVerifyMode.ON, 1, Optional.empty(), false, Optional.empty()), only(run));
    assertEquals(List.of(), run.reports);
    assertEquals(only(run), only(run("auth-tls-secret", "ca")), "namespace/name or name");
    assertInstanceOf(ClientCertificatePolicy.class, only(run("auth-tls-secret", "tls-with-ca")));
  }

  @Test
  void everySettingIsRead() throws Exception {
    FamilyRun run =
        run(
            "auth-tls-secret", "default/ca",
            "auth-tls-verify-client", "optional_no_ca",
            "auth-tls-verify-depth", "2",
            "auth-tls-error-page", "https://errors.test/cert-error",
            "auth-tls-pass-certificate-to-upstream", "true",
            "auth-tls-match-cn", "CN=(alice|bob)");
    assertEquals(
        expected(
            ClientVerifyMode.OPTIONAL_NO_CA,
            2,
            Optional.of("https://errors.test/cert-error"),
            true,
            Optional.of("CN=(alice|bob)")),
        only(run));
    assertEquals(List.of(), run.reports);
    for (String mode : List.of("on", "off", "optional")) {
      assertEquals(
          ClientVerifyMode.parse(mode).orElseThrow(),
          ((ClientCertificatePolicy)
                  only(run("auth-tls-secret", "ca", "auth-tls-verify-client", mode)))
              .mode());
    }
  }

  @Test
  void aBadModeOrDepthIsAWarningAndTheStrictDefaultApplies() throws Exception {
    FamilyRun run =
        run(
            "auth-tls-secret", "ca",
            "auth-tls-verify-client", "ON",
            "auth-tls-verify-depth", "-1");
    assertEquals(
        expected(ClientVerifyMode.ON, 1, Optional.empty(), false, Optional.empty()), only(run));
    assertEquals(
        List.of(
            "invalid nginx.ingress.kubernetes.io/auth-tls-verify-client: \"ON\" (expected: on,"
                + " off, optional or optional_no_ca); using on",
            "invalid nginx.ingress.kubernetes.io/auth-tls-verify-depth: \"-1\" (expected: a number"
                + " from 1 to 100); using 1"),
        run.reports);
  }

  @Test
  void aMissingOrUnreadableSecretMakesEveryRouteAnswer403WithAWarningNamingIt() {
    FamilyRun missing = run("auth-tls-secret", "nothing-here");
    assertEquals(
        "Secret default/nothing-here not found",
        assertInstanceOf(ClientCertificateUnusablePolicy.class, only(missing)).reason());
    assertEquals(
        List.of(
            "invalid nginx.ingress.kubernetes.io/auth-tls-secret: \"nothing-here\" (expected: a"
                + " Secret that exists: Secret default/nothing-here not found); every route of"
                + " the Ingress answers 403"),
        missing.reports);
    assertEquals(List.of("default/nothing-here"), secrets.asked, "remembered though missing");

    assertEquals(
        "Secret default/no-ca: it has no key ca.crt",
        assertInstanceOf(
                ClientCertificateUnusablePolicy.class, only(run("auth-tls-secret", "no-ca")))
            .reason());
    String garbled =
        assertInstanceOf(
                ClientCertificateUnusablePolicy.class, only(run("auth-tls-secret", "garbled")))
            .reason();
    assertTrue(garbled.startsWith("Secret default/garbled: ca.crt: "), garbled);
    String crl =
        assertInstanceOf(
                ClientCertificateUnusablePolicy.class, only(run("auth-tls-secret", "bad-crl")))
            .reason();
    assertTrue(crl.startsWith("Secret default/bad-crl: ca.crl: "), crl);
  }

  @Test
  void valuesIngressNginxRejectsRefuseTheIngress() {
    assertEquals(
        List.of(
            "refuse auth-tls-match-cn: \"alice\" (expected: CN= followed by a pattern, such as"
                + " CN=client)"),
        run("auth-tls-secret", "ca", "auth-tls-match-cn", "alice").reports);
    assertTrue(
        run("auth-tls-secret", "ca", "auth-tls-match-cn", "CN=(")
            .reports
            .get(0)
            .startsWith(
                "refuse auth-tls-match-cn: \"CN=(\" (expected: CN= followed by a valid RE2"));
    assertEquals(
        List.of(
            "refuse auth-tls-error-page: \"javascript:alert(1)\" (expected: a path or an http(s)"
                + " URL)"),
        run("auth-tls-secret", "ca", "auth-tls-error-page", "javascript:alert(1)").reports);
    assertEquals(
        List.of(
            "refuse auth-tls-error-page: \"@custom\" names an nginx location (expected: a path or"
                + " an http(s) URL)"),
        run("auth-tls-secret", "ca", "auth-tls-error-page", "@custom").reports);
    assertEquals(
        List.of(
            "refuse auth-tls-pass-certificate-to-upstream: \"yes\" (expected: \"true\" or"
                + " \"false\")"),
        run("auth-tls-secret", "ca", "auth-tls-pass-certificate-to-upstream", "yes").reports);
    assertEquals(
        List.of(
            "refuse auth-tls-secret: \"../etc/ca\" (expected: the name or namespace/name of a"
                + " Secret with ca.crt)"),
        run("auth-tls-secret", "../etc/ca").reports);
    for (FamilyRun run :
        List.of(
            run("auth-tls-secret", "ca", "auth-tls-match-cn", "alice"),
            run("auth-tls-secret", "../etc/ca"))) {
      assertEquals(IngressPolicy.DEFAULT, run.policy);
    }
    assertEquals(List.of(), secrets.asked, "never looked at");
  }

  @Test
  void aModeOrCnPatternWithoutASecretRefusesTheIngress() {
    FamilyRun run =
        run(
            "auth-tls-verify-client", "on",
            "auth-tls-match-cn", "CN=alice",
            "auth-tls-verify-depth", "2");
    assertEquals(IngressPolicy.DEFAULT, run.policy);
    assertEquals(
        List.of(
            "refuse auth-tls-verify-client: auth-tls-verify-client is set without auth-tls-secret"
                + " (ingress-nginx would serve the backend open; set auth-tls-secret to the Secret"
                + " with the CA, or remove it)",
            "refuse auth-tls-match-cn: auth-tls-match-cn is set without auth-tls-secret"
                + " (ingress-nginx would serve the backend open; set auth-tls-secret to the Secret"
                + " with the CA, or remove it)",
            "unused auth-tls-verify-depth: read only with auth-tls-secret"),
        run.reports);
    assertEquals(
        List.of("unused auth-tls-verify-client: read only with auth-tls-secret"),
        run("auth-tls-verify-client", "off").reports);
  }

  @Test
  void aSecretInAnotherNamespaceOnlyWhenTheConfigMapAllowsIt() {
    FamilyRun refused = run("auth-tls-secret", "other/ca");
    assertEquals(IngressPolicy.DEFAULT, refused.policy);
    assertEquals(1, refused.reports.size());
    assertTrue(refused.reports.get(0).startsWith("refuse auth-tls-secret: \"other/ca\""));
    ControllerConfig allowing =
        ControllerConfig.read(
            Map.of("allow-cross-namespace-resources", "true"),
            finding -> {
              throw new AssertionError(finding.message());
            });
    assertInstanceOf(
        ClientCertificatePolicy.class, only(run(allowing, "auth-tls-secret", "other/ca")));
  }
}
