package io.portico.controller.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.portico.controller.gateway.BackendTlsPolicies.ServicePortUse;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.KeyType;
import io.portico.tls.Pem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link BackendTlsPolicies} without a server: precedence of a {@code sectionName},
 * conflicts, the reasons of invalid validations, and ancestors only where a route uses the port.
 */
class BackendTlsPoliciesTest {

  private static final String CA =
      Pem.certificates(
          CertificateGenerator.certificateAuthority(
                  "Unit CA", KeyType.EC_P256, Duration.ofDays(2), Instant.now())
              .chain());
  private static final ObjectKey SERVICE = new ObjectKey("default", "app");
  private static final ObjectKey WEB = new ObjectKey("default", "web");
  private static final ServicePortUse HTTPS = new ServicePortUse(SERVICE, 443, "https");
  private static final ServicePortUse ADMIN = new ServicePortUse(SERVICE, 8443, "admin");

  private static BackendTLSPolicy policy(
      String name, String created, String target, String validation) {
    return Serialization.unmarshal(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: BackendTLSPolicy
        metadata: {name: %s, namespace: default, creationTimestamp: "%s"}
        spec:
          targetRefs: [%s]
          validation: %s
        """
            .formatted(name, created, target, validation),
        BackendTLSPolicy.class);
  }

  private static final String VALID =
      "{caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}], hostname: app.test}";

  private static BackendTlsPolicies.Result evaluate(
      List<BackendTLSPolicy> policies, Map<ServicePortUse, Set<ObjectKey>> uses) {
    return BackendTlsPolicies.evaluate(
        policies,
        uses,
        key -> key.name().equals("ca") ? Optional.of(Map.of("ca.crt", CA)) : Optional.empty());
  }

  private static List<String> summary(BackendTlsPolicies.Result result) {
    List<String> out = new ArrayList<>();
    for (GatewayApiStatus.PolicyStatus status : result.statuses()) {
      for (GatewayApiStatus.ParentStatus ancestor : status.ancestors()) {
        for (Condition condition : ancestor.conditions()) {
          out.add(
              status.key().name() + " " + ancestor.parentRef().name() + " " + condition.summary());
        }
      }
    }
    return out;
  }

  @Test
  void aSectionNameTakesPrecedenceOnItsPortWithoutConflict() {
    BackendTlsPolicies.Result result =
        evaluate(
            List.of(
                policy(
                    "whole",
                    "2026-01-01T00:00:00Z",
                    "{group: '', kind: Service, name: app}",
                    VALID),
                policy(
                    "admin",
                    "2026-01-02T00:00:00Z",
                    "{group: '', kind: Service, name: app, sectionName: admin}",
                    VALID)),
            Map.of(HTTPS, Set.of(WEB), ADMIN, Set.of(WEB)));
    assertEquals("whole", result.validations().get(HTTPS).policy().name());
    assertEquals("admin", result.validations().get(ADMIN).policy().name());
    assertEquals(
        List.of(
            "admin web Accepted=True Accepted",
            "admin web ResolvedRefs=True ResolvedRefs",
            "whole web Accepted=True Accepted",
            "whole web ResolvedRefs=True ResolvedRefs"),
        summary(result));
    assertEquals(Set.of(new ObjectKey("default", "ca")), result.configMaps());
  }

  @Test
  void theOlderOfTwoPoliciesOnOneSectionWinsThenTheName() {
    BackendTlsPolicies.Result result =
        evaluate(
            List.of(
                policy(
                    "b",
                    "2026-01-01T00:00:00Z",
                    "{group: '', kind: Service, name: app, sectionName: https}",
                    VALID),
                policy(
                    "a",
                    "2026-01-01T00:00:00Z",
                    "{group: '', kind: Service, name: app, sectionName: https}",
                    VALID),
                policy(
                    "old", "2025-01-01T00:00:00Z", "{group: '', kind: Service, name: app}", VALID)),
            Map.of(HTTPS, Set.of(WEB)));
    assertEquals("a", result.validations().get(HTTPS).policy().name());
    assertTrue(
        summary(result).contains("b web Accepted=False Conflicted"), summary(result).toString());
    assertTrue(
        summary(result).contains("old web Accepted=True Accepted"), summary(result).toString());
  }

  @Test
  void invalidValidationsSayWhyAndLeaveNoTrust() {
    BackendTlsPolicies.Result result =
        evaluate(
            List.of(
                policy(
                    "both",
                    "2026-01-01T00:00:00Z",
                    "{group: '', kind: Service, name: app}",
                    "{caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}],"
                        + " wellKnownCACertificates: System, hostname: app.test}")),
            Map.of(HTTPS, Set.of(WEB)));
    assertEquals(
        List.of("both web Accepted=False Invalid", "both web ResolvedRefs=True ResolvedRefs"),
        summary(result));
    BackendTlsPolicies.Validation validation = result.validations().get(HTTPS);
    assertEquals("", validation.caPem());
    assertEquals(false, validation.systemTrust());

    BackendTlsPolicies.Result other =
        evaluate(
            List.of(
                policy(
                    "vendor",
                    "2026-01-01T00:00:00Z",
                    "{group: '', kind: Service, name: app}",
                    "{wellKnownCACertificates: example.com/cas, hostname: app.test}")),
            Map.of(HTTPS, Set.of(WEB)));
    assertEquals("vendor web Accepted=False Invalid", summary(other).get(0));
    assertEquals(false, other.validations().get(HTTPS).systemTrust());

    BackendTlsPolicies.Result system =
        evaluate(
            List.of(
                policy(
                    "system",
                    "2026-01-01T00:00:00Z",
                    "{group: '', kind: Service, name: app}",
                    "{wellKnownCACertificates: System, hostname: app.test}")),
            Map.of(HTTPS, Set.of(WEB)));
    assertEquals("system web Accepted=True Accepted", summary(system).get(0));
    assertEquals(true, system.validations().get(HTTPS).systemTrust());
  }

  @Test
  void aPolicyNoRouteUsesHasNoAncestors() {
    BackendTlsPolicies.Result result =
        evaluate(
            List.of(
                policy(
                    "idle",
                    "2026-01-01T00:00:00Z",
                    "{group: '', kind: Service, name: other}",
                    VALID)),
            Map.of(HTTPS, Set.of(WEB)));
    assertEquals(List.of(), result.statuses());
    assertEquals(Map.of(), result.validations());
  }
}
