package io.portico.controller.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.config.ControllerConfig;
import io.portico.router.access.BasicAuthPolicy;
import io.portico.router.access.BasicCredentials;
import io.portico.router.policy.ClosedPolicy;
import io.portico.router.policy.RequestPolicy;
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
 * {@code auth-type}, {@code auth-secret}, {@code auth-secret-type} and {@code auth-realm} read into
 * a basic-auth policy, and every way they fail closed, with ingress-nginx's e2e cases in mind
 * (annotations/auth.go). The hashes were made with {@code htpasswd -nbB alice wonderland}, {@code
 * htpasswd -nbm bob builder} and {@code htpasswd -nbs carol secret}.
 */
class BasicAuthFamilyTest {

  private static final BasicAuthFamily FAMILY = new BasicAuthFamily();

  static final String ALICE = "$2y$05$zUch8oL58bYNx.cgW20taujQ2X4.Wf7Qqln/bKcCY02MdYC5roaMa";
  static final String BOB = "$apr1$xnNCUwF8$TZxKDOWAEt3..aXh.8NyX0";
  static final String CAROL = "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=";
  private static final String PREFIX = "nginx.ingress.kubernetes.io/";

  /** Secrets by namespace/name; what the family asked for is kept in {@code asked}. */
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

  private static final String FILE =
      "# made with htpasswd\nalice:" + ALICE + "\nbob:" + BOB + "\n\ncarol:" + CAROL + "\n";

  private final Secrets secrets =
      new Secrets()
          .with("default/basic-auth", "Opaque", Map.of("auth", FILE))
          .with("default/users", "Opaque", Map.of("alice", ALICE, "bob", BOB))
          .with("other/basic-auth", "Opaque", Map.of("auth", FILE))
          .with("default/no-auth-key", "Opaque", Map.of("htpasswd", FILE))
          .with("default/tls", "kubernetes.io/tls", Map.of("auth", FILE))
          .with("default/garbled", "Opaque", Map.of("auth", "foo:\nbar:plaintext\n"))
          .with(
              "default/one-unknown", "Opaque", Map.of("auth", "alice:" + ALICE + "\ndes:xyZ12\n"));

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

  private static List<RequestPolicy> policies(FamilyRun run) {
    List<RequestPolicy> all = new ArrayList<>();
    for (RoutePolicyRule rule : run.policy.routeRules()) {
      all.addAll(rule.policies(HostnamePattern.of("a.test"), PathMatch.prefix("/")));
    }
    return all;
  }

  private static BasicAuthPolicy basicAuth(FamilyRun run) {
    List<RequestPolicy> policies = policies(run);
    assertEquals(1, policies.size(), policies.toString());
    return assertInstanceOf(BasicAuthPolicy.class, policies.get(0));
  }

  private static ClosedPolicy closed(FamilyRun run) {
    List<RequestPolicy> policies = policies(run);
    assertEquals(1, policies.size(), policies.toString());
    return assertInstanceOf(ClosedPolicy.class, policies.get(0));
  }

  @Test
  void withoutAuthTypeNothingIsAsked() {
    FamilyRun run = run();
    assertEquals(IngressPolicy.DEFAULT, run.policy);
    assertEquals(List.of(), run.reports);
    assertEquals(List.of(), secrets.asked);
  }

  @Test
  void anHtpasswdFileGivesEveryRouteTheUsersOfItsThreeFormats() {
    FamilyRun run =
        run("auth-type", "basic", "auth-secret", "basic-auth", "auth-realm", "test auth");
    BasicAuthPolicy policy = basicAuth(run);
    assertEquals("test auth", policy.realm());
    assertEquals(
        BasicCredentials.parseFile(FILE).credentials(), policy.credentials(), "alice, bob, carol");
    assertTrue(policy.credentials().hashOf("carol").isPresent());
    assertEquals(List.of(), run.reports);
    assertEquals(List.of("default/basic-auth"), secrets.asked);
  }

  @Test
  void theRealmDefaultsToIngressNginxsEmptyOne() {
    assertEquals(
        BasicAuthPolicy.DEFAULT_REALM,
        basicAuth(run("auth-type", "basic", "auth-secret", "basic-auth")).realm());
  }

  @Test
  void anAuthMapHasOneKeyPerUser() {
    FamilyRun run =
        run("auth-type", "basic", "auth-secret", "users", "auth-secret-type", "auth-map");
    BasicAuthPolicy policy = basicAuth(run);
    assertTrue(policy.credentials().hashOf("alice").isPresent());
    assertTrue(policy.credentials().hashOf("bob").isPresent());
    assertFalse(policy.credentials().hashOf("carol").isPresent());
    assertEquals(List.of(), run.reports);
  }

  @Test
  void equalSecretsGiveEqualPolicies() {
    assertEquals(
        policies(run("auth-type", "basic", "auth-secret", "basic-auth")),
        policies(run("auth-type", "basic", "auth-secret", "default/basic-auth")));
  }

  @Test
  void aMissingSecretClosesEveryRouteWithAWarningNamingIt() {
    FamilyRun run = run("auth-type", "basic", "auth-secret", "nothing-here");
    assertEquals("Secret default/nothing-here not found", closed(run).reason());
    assertEquals(
        List.of(
            "invalid nginx.ingress.kubernetes.io/auth-secret: \"nothing-here\" (expected: a Secret"
                + " that exists: default/nothing-here does not); every route of the Ingress"
                + " answers 503"),
        run.reports);
    assertEquals(List.of("default/nothing-here"), secrets.asked, "remembered though missing");
  }

  @Test
  void aSecretWithoutTheAuthKeyClosesEveryRoute() {
    FamilyRun run = run("auth-type", "basic", "auth-secret", "no-auth-key");
    assertEquals("Secret default/no-auth-key: it has no key auth", closed(run).reason());
    assertEquals(1, run.reports.size(), run.reports.toString());
  }

  @Test
  void aSecretOfAnotherTypeClosesEveryRoute() {
    FamilyRun run = run("auth-type", "basic", "auth-secret", "tls");
    assertEquals("Secret default/tls is not of type Opaque", closed(run).reason());
  }

  @Test
  void contentWithNoValidLineClosesEveryRouteAndNeverShowsAHash() {
    FamilyRun run = run("auth-type", "basic", "auth-secret", "garbled");
    assertEquals("Secret default/garbled holds no user Portico can check", closed(run).reason());
    assertEquals(2, run.reports.size(), run.reports.toString());
    assertFalse(String.join("\n", run.reports).contains("plaintext"), run.reports.toString());
  }

  @Test
  void aLineInAnUnknownFormatIsAWarningAndTheOthersServe() {
    FamilyRun run = run("auth-type", "basic", "auth-secret", "one-unknown");
    BasicAuthPolicy policy = basicAuth(run);
    assertTrue(policy.credentials().hashOf("alice").isPresent());
    assertFalse(policy.credentials().hashOf("des").isPresent());
    assertEquals(1, run.reports.size(), run.reports.toString());
    String report = run.reports.get(0);
    assertTrue(report.contains("line 2 (user des)"), report);
    assertFalse(report.contains("xyZ12"), "never the hash: " + report);
    assertFalse(report.contains(ALICE), "never the hash: " + report);
  }

  @Test
  void digestAndUnknownTypesRefuseTheIngress() {
    FamilyRun digest = run("auth-type", "digest", "auth-secret", "basic-auth");
    assertEquals(IngressPolicy.DEFAULT, digest.policy);
    assertEquals(
        List.of(
            "refuse auth-type: digest authentication is not supported: served without it, the"
                + " backend would be open to everyone",
            "refuse auth-secret: digest authentication is not supported: served without it, the"
                + " backend would be open to everyone"),
        digest.reports);
    assertEquals(
        List.of(
            "refuse auth-type: auth-type \"Basic\" (expected: basic)",
            "refuse auth-secret: auth-type \"Basic\" (expected: basic)"),
        run("auth-type", "Basic", "auth-secret", "basic-auth").reports);
    assertEquals(List.of(), secrets.asked);
  }

  @Test
  void basicWithoutASecretRefusesTheIngress() {
    FamilyRun run = run("auth-type", "basic");
    assertEquals(IngressPolicy.DEFAULT, run.policy);
    assertEquals(1, run.reports.size());
    assertTrue(run.reports.get(0).startsWith("refuse auth-type: "), run.reports.toString());
  }

  @Test
  void aSecretWithoutAuthTypeRefusesTheIngress() {
    FamilyRun run = run("auth-secret", "basic-auth", "auth-realm", "r");
    assertEquals(IngressPolicy.DEFAULT, run.policy);
    assertEquals(
        List.of(
            "refuse auth-secret: auth-secret is set without auth-type: basic (ingress-nginx would"
                + " serve the backend open; set auth-type: basic, or remove auth-secret)",
            "unused auth-realm: read only with auth-type: basic"),
        run.reports);
  }

  @Test
  void anUnknownSecretTypeRefusesTheIngress() {
    assertEquals(
        List.of("refuse auth-secret-type: \"htpasswd\" (expected: auth-file or auth-map)"),
        run("auth-type", "basic", "auth-secret", "basic-auth", "auth-secret-type", "htpasswd")
            .reports);
  }

  @Test
  void aSecretInAnotherNamespaceOnlyWhenTheConfigMapAllowsIt() {
    FamilyRun refused = run("auth-type", "basic", "auth-secret", "other/basic-auth");
    assertEquals(IngressPolicy.DEFAULT, refused.policy);
    assertEquals(
        List.of(
            "refuse auth-secret: \"other/basic-auth\" (expected: a Secret in the Ingress's"
                + " namespace default; the controller ConfigMap's allow-cross-namespace-resources"
                + " allows others)"),
        refused.reports);
    assertEquals(List.of(), secrets.asked, "never looked at");

    ControllerConfig allowing =
        ControllerConfig.read(
            Map.of("allow-cross-namespace-resources", "true"),
            finding -> {
              throw new AssertionError(finding.message());
            });
    FamilyRun allowed = run(allowing, "auth-type", "basic", "auth-secret", "other/basic-auth");
    basicAuth(allowed);
    assertEquals(List.of("other/basic-auth"), secrets.asked);
  }

  @Test
  void aReferenceThatIsNoSecretNameRefusesTheIngress() {
    assertEquals(
        List.of(
            "refuse auth-secret: \"../etc/passwd\" (expected: the name or namespace/name of a"
                + " Secret)"),
        run("auth-type", "basic", "auth-secret", "../etc/passwd").reports);
  }

  @Test
  void aRealmWithControlCharactersIsReportedAndTheDefaultApplies() {
    FamilyRun run =
        run("auth-type", "basic", "auth-secret", "basic-auth", "auth-realm", "a\u0007b");
    assertEquals(BasicAuthPolicy.DEFAULT_REALM, basicAuth(run).realm());
    assertEquals(1, run.reports.size());
  }
}
