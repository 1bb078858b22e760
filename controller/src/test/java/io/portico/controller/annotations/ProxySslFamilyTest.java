package io.portico.controller.annotations;

import static io.portico.controller.annotations.BackendCertificates.BACKEND;
import static io.portico.controller.annotations.BackendCertificates.CA;
import static io.portico.controller.annotations.BackendCertificates.CLIENT;
import static io.portico.controller.annotations.BackendCertificates.certificate;
import static io.portico.controller.annotations.BackendCertificates.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.policy.ClosedPolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.BackendProtocol;
import io.portico.router.route.BackendTls;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code proxy-ssl-*} read into the TLS settings of an Ingress's backends, in the spirit of
 * ingress-nginx's annotations/proxyssl tests (its defaults, verify on with depth 2 and SNI,
 * ciphers, protocols) and its parser's denied locations: a reference that is not namespace/name,
 * another namespace, a missing or unusable Secret answer 503, never served unverified.
 */
class ProxySslFamilyTest {

  private static final String PREFIX = "nginx.ingress.kubernetes.io/";
  private static final List<AnnotationFamily> FAMILIES =
      List.of(new ProxySslFamily(), new UpstreamFamily());

  private final Map<String, SecretLookup.Content> secrets = new HashMap<>();
  private final List<String> asked = new ArrayList<>();
  private final List<String> reports = new ArrayList<>();

  ProxySslFamilyTest() {
    secret(
        "default/full",
        Map.of("ca.crt", certificate(CA), "tls.crt", certificate(CLIENT), "tls.key", key(CLIENT)));
    secret("default/ca-only", Map.of("ca.crt", certificate(CA)));
    secret("default/pair-only", Map.of("tls.crt", certificate(CLIENT), "tls.key", key(CLIENT)));
    secret("other/full", Map.of("ca.crt", certificate(CA)));
    secret("default/empty", Map.of("auth", "alice:x"));
    secret(
        "default/bad-ca",
        Map.of("ca.crt", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"));
    secret("default/mismatch", Map.of("tls.crt", certificate(CLIENT), "tls.key", key(BACKEND)));
    secret("default/half", Map.of("ca.crt", certificate(CA), "tls.crt", certificate(CLIENT)));
  }

  private void secret(String key, Map<String, String> data) {
    secrets.put(key, new SecretLookup.Content("Opaque", data, Set.of()));
  }

  private IngressPolicy run(ControllerConfig config, String... keysAndValues) {
    Map<String, String> annotations = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      annotations.put(PREFIX + keysAndValues[i], keysAndValues[i + 1]);
    }
    SecretLookup lookup =
        (namespace, name) -> {
          asked.add(namespace + "/" + name);
          return Optional.ofNullable(secrets.get(namespace + "/" + name));
        };
    IngressContext context =
        new IngressContext("default", "test", Set.of(), config, ConfigMapLookup.NONE, lookup);
    AnnotationValues values = AnnotationValues.of(annotations);
    IngressPolicy.Builder builder = IngressPolicy.builder();
    AnnotationReport report =
        new AnnotationReport() {
          @Override
          public void invalid(String name, String value, String expected, String instead) {
            reports.add(
                "invalid " + name + ": " + value + " (expected: " + expected + "); " + instead);
          }

          @Override
          public void refuse(String name, String why) {
            reports.add("refuse " + name + ": " + why);
          }

          @Override
          public void unused(String name, String why) {
            reports.add("unused " + name + ": " + why);
          }
        };
    for (AnnotationFamily family : FAMILIES) {
      family.read(values, context, builder, report);
    }
    return builder.build();
  }

  private IngressPolicy run(String... keysAndValues) {
    return run(ControllerConfig.DEFAULTS, keysAndValues);
  }

  private static List<RequestPolicy> policies(IngressPolicy policy) {
    List<RequestPolicy> all = new ArrayList<>();
    for (RoutePolicyRule rule : policy.routeRules()) {
      all.addAll(rule.policies(HostnamePattern.of("a.test"), PathMatch.prefix("/")));
    }
    return all;
  }

  private static ClosedPolicy closed(IngressPolicy policy) {
    List<RequestPolicy> policies = policies(policy);
    assertEquals(1, policies.size(), policies.toString());
    return assertInstanceOf(ClosedPolicy.class, policies.get(0));
  }

  @Test
  void withoutTheSecretTheOthersAreUnusedAndTheBackendUnverified() {
    IngressPolicy policy =
        run("backend-protocol", "HTTPS", "proxy-ssl-verify", "on", "proxy-ssl-name", "a.test");
    assertEquals(BackendTls.DEFAULT, policy.upstream().tls());
    assertEquals(
        List.of(
            "unused proxy-ssl-name: read only with proxy-ssl-secret, as in ingress-nginx",
            "unused proxy-ssl-verify: read only with proxy-ssl-secret, as in ingress-nginx"),
        reports);
    assertEquals(List.of(), asked);
  }

  @Test
  void aValidSecretAloneGivesIngressNginxDefaults() {
    IngressPolicy policy = run("backend-protocol", "HTTPS", "proxy-ssl-secret", "default/full");
    BackendTls tls = policy.upstream().tls();
    assertEquals(certificate(CA), tls.trustedCaPem());
    assertEquals(certificate(CLIENT), tls.clientCertificatePem());
    assertTrue(tls.clientKeyPem().contains("BEGIN PRIVATE KEY"));
    assertEquals(false, tls.verify());
    assertEquals(1, tls.verifyDepth());
    assertEquals("", tls.name());
    assertEquals(false, tls.serverName());
    assertEquals(List.of("TLSv1.2"), tls.protocols());
    assertEquals(List.of(), tls.ciphers());
    assertEquals(List.of(), reports);
    assertEquals(List.of(), policies(policy));
    assertEquals(BackendProtocol.HTTPS, policy.upstream().protocol());
  }

  @Test
  void verifyOnWithDepthTwoNameAndServerName() {
    BackendTls tls =
        run(
                "backend-protocol", "GRPCS",
                "proxy-ssl-secret", "default/ca-only",
                "proxy-ssl-verify", "on",
                "proxy-ssl-verify-depth", "2",
                "proxy-ssl-name", "Backend.Test",
                "proxy-ssl-server-name", "on",
                "proxy-ssl-protocols", "TLSv1.3 TLSv1.2")
            .upstream()
            .tls();
    assertEquals(
        new BackendTls(
            certificate(CA),
            "",
            "",
            true,
            2,
            "backend.test",
            true,
            List.of("TLSv1.2", "TLSv1.3"),
            List.of(),
            false,
            List.of()),
        tls);
    assertEquals(List.of(), reports);
  }

  @Test
  void cipherSuitesInOpenSslOrJavaSpelling() {
    BackendTls tls =
        run(
                "backend-protocol", "HTTPS",
                "proxy-ssl-secret", "default/ca-only",
                "proxy-ssl-ciphers",
                    "ECDHE-ECDSA-AES128-GCM-SHA256:TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
            .upstream()
            .tls();
    assertEquals(
        List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
        tls.ciphers());
    assertEquals(List.of(), reports);
  }

  @Test
  void openSslKeywordsAreReportedAndTheJdkSuitesApply() {
    BackendTls tls =
        run(
                "backend-protocol", "HTTPS",
                "proxy-ssl-secret", "default/ca-only",
                "proxy-ssl-ciphers", "HIGH:!AES")
            .upstream()
            .tls();
    assertEquals(List.of(), tls.ciphers());
    assertEquals(1, reports.size(), reports.toString());
    assertTrue(reports.get(0).startsWith("invalid proxy-ssl-ciphers: HIGH:!AES"), reports.get(0));
  }

  @Test
  void badValuesOfTheHarmlessOnesFallBackToIngressNginxDefaults() {
    BackendTls tls =
        run(
                "backend-protocol", "HTTPS",
                "proxy-ssl-secret", "default/ca-only",
                "proxy-ssl-verify-depth", "deep",
                "proxy-ssl-protocols", "SSLv3",
                "proxy-ssl-server-name", "yes",
                "proxy-ssl-name", "not a name")
            .upstream()
            .tls();
    assertEquals(1, tls.verifyDepth());
    assertEquals(List.of("TLSv1.2"), tls.protocols());
    assertEquals(false, tls.serverName());
    assertEquals("", tls.name());
    assertEquals(4, reports.size(), reports.toString());
  }

  @Test
  void aVerifyThatIsNeitherOnNorOffClosesTheRoutes() {
    IngressPolicy policy =
        run(
            "backend-protocol", "HTTPS",
            "proxy-ssl-secret", "default/ca-only",
            "proxy-ssl-verify", "true");
    assertEquals("proxy-ssl-verify is neither on nor off", closed(policy).reason());
  }

  @Test
  void aMissingSecretClosesTheRoutes() {
    IngressPolicy policy = run("backend-protocol", "HTTPS", "proxy-ssl-secret", "default/nothing");
    assertEquals("Secret default/nothing not found", closed(policy).reason());
    assertEquals(
        List.of(
            "invalid proxy-ssl-secret: \"default/nothing\" (expected: a Secret that exists:"
                + " default/nothing does not); every route of the Ingress answers 503"),
        reports);
    assertEquals(List.of("default/nothing"), asked, "remembered, so that its creation re-reads");
  }

  @Test
  void aNameWithoutNamespaceClosesTheRoutesAsIngressNginxDeniesIt() {
    IngressPolicy policy = run("backend-protocol", "HTTPS", "proxy-ssl-secret", "full");
    assertEquals("proxy-ssl-secret \"full\" is not namespace/name", closed(policy).reason());
  }

  @Test
  void anotherNamespaceNeedsTheConfigMapsPermission() {
    assertEquals(
        "Secret other/full is in another namespace",
        closed(run("backend-protocol", "HTTPS", "proxy-ssl-secret", "other/full")).reason());
    reports.clear();
    ControllerConfig allowed =
        ControllerConfig.read(Map.of("allow-cross-namespace-resources", "true"), finding -> {});
    IngressPolicy policy =
        run(allowed, "backend-protocol", "HTTPS", "proxy-ssl-secret", "other/full");
    assertEquals(List.of(), policies(policy));
    assertEquals(certificate(CA), policy.upstream().tls().trustedCaPem());
  }

  @Test
  void aSecretWithoutUsableMaterialClosesTheRoutes() {
    assertEquals(
        "Secret default/empty: a Secret with ca.crt, or tls.crt and tls.key: default/empty holds"
            + " neither",
        closed(run("backend-protocol", "HTTPS", "proxy-ssl-secret", "default/empty")).reason());
    assertEquals(
        "Secret default/bad-ca: ca.crt is not valid PEM certificates",
        closed(run("backend-protocol", "HTTPS", "proxy-ssl-secret", "default/bad-ca")).reason());
    assertTrue(
        closed(run("backend-protocol", "HTTPS", "proxy-ssl-secret", "default/mismatch"))
            .reason()
            .startsWith("Secret default/mismatch: "));
  }

  @Test
  void aKeyPairAloneIsAClientCertificateAndVerifyWithoutCaIsReported() {
    IngressPolicy policy =
        run(
            "backend-protocol", "HTTPS",
            "proxy-ssl-secret", "default/pair-only",
            "proxy-ssl-verify", "on");
    assertTrue(policy.upstream().tls().hasClientCertificate());
    assertEquals(
        List.of(
            "invalid proxy-ssl-verify: on (expected: a Secret with ca.crt to verify the backend"
                + " with: default/pair-only has none); every request to the backend answers 502"),
        reports);
  }

  @Test
  void halfAKeyPairIsReportedAndTheCaStillApplies() {
    BackendTls tls =
        run("backend-protocol", "HTTPS", "proxy-ssl-secret", "default/half").upstream().tls();
    assertEquals(certificate(CA), tls.trustedCaPem());
    assertEquals(false, tls.hasClientCertificate());
    assertEquals(1, reports.size(), reports.toString());
  }

  @Test
  void aClearTextBackendIgnoresThemAsNginxDoes() {
    IngressPolicy policy = run("proxy-ssl-secret", "default/full", "proxy-ssl-verify", "on");
    assertEquals(BackendTls.DEFAULT, policy.upstream().tls());
    assertEquals(2, reports.size(), reports.toString());
    assertTrue(reports.get(0).startsWith("unused "), reports.get(0));
  }
}
