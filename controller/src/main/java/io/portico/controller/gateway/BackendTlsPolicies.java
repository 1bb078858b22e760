package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicyValidation;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.LocalObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.LocalPolicyTargetReferenceWithSectionName;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SubjectAltName;
import io.portico.controller.snapshot.ObjectKey;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * BackendTLSPolicies (Gateway API v1, standard channel) as one pure function: which Service ports
 * the routes of Portico's Gateways use get TLS to their backends, validated as which policy says,
 * and the status of each policy, one ancestor per Gateway whose routes use a Service port it
 * targets.
 *
 * <p>The rules of the specification, in one place:
 *
 * <ul>
 *   <li>A policy targets Services ({@code group: ""}, {@code kind: Service}) of its own namespace;
 *       a {@code sectionName} is a Service port's name. A policy with a {@code sectionName} takes
 *       precedence on that port over one without; between policies of the same target and section,
 *       the oldest (then the first by namespace/name) wins and the others are {@code Accepted=False
 *       Conflicted}.
 *   <li>{@code validation.caCertificateRefs}: ConfigMaps of the policy's namespace with the CA
 *       bundle under {@code ca.crt}. A reference of another kind is {@code ResolvedRefs=False
 *       InvalidKind}; a missing ConfigMap or one without a readable {@code ca.crt} is {@code
 *       ResolvedRefs=False InvalidCACertificateRef}. When no reference is usable, {@code
 *       Accepted=False NoValidCACertificate}, and connections fail (502): never served unverified.
 *   <li>{@code wellKnownCACertificates: System}: the CAs the JDK trusts. Any other value, or both
 *       fields set, or neither, is {@code Accepted=False Invalid}, and connections fail too.
 *   <li>{@code hostname} is sent by SNI, and the backend's certificate must name it, unless {@code
 *       subjectAltNames} are given: then it must hold one of those instead.
 * </ul>
 */
public final class BackendTlsPolicies {

  /** The key a CA bundle has in a ConfigMap. */
  public static final String CA_KEY = "ca.crt";

  static final String ACCEPTED = "Accepted";
  static final String RESOLVED_REFS = "ResolvedRefs";

  /**
   * A Service port a route of a Gateway sends to.
   *
   * @param service the Service
   * @param port the Service port's number
   * @param portName its name; empty when it has none
   */
  public record ServicePortUse(ObjectKey service, int port, String portName) {
    public ServicePortUse {
      requireNonNull(service, "service");
      requireNonNull(portName, "portName");
    }
  }

  /**
   * How a backend is spoken to, as its policy says.
   *
   * @param policy the policy that decided
   * @param caPem the trusted CAs (PEM); empty for none
   * @param systemTrust whether the JDK's CAs are trusted
   * @param hostname the SNI name, and the name checked without {@code subjectAltNames}
   * @param subjectAltNames {@code DNS:}/{@code URI:} pairs, as {@code type} and {@code value}
   */
  public record Validation(
      ObjectKey policy,
      String caPem,
      boolean systemTrust,
      String hostname,
      List<Map.Entry<String, String>> subjectAltNames) {
    public Validation {
      requireNonNull(policy, "policy");
      requireNonNull(caPem, "caPem");
      requireNonNull(hostname, "hostname");
      subjectAltNames = List.copyOf(subjectAltNames);
    }
  }

  /**
   * What the policies decide.
   *
   * @param validations by Service port used, the validation of the policy that applies there
   * @param statuses the status of every policy with at least one ancestor
   * @param configMaps the ConfigMaps the policies named, found or not
   */
  public record Result(
      Map<ServicePortUse, Validation> validations,
      List<GatewayApiStatus.PolicyStatus> statuses,
      Set<ObjectKey> configMaps) {}

  private BackendTlsPolicies() {}

  /**
   * @param policies every BackendTLSPolicy
   * @param uses the Service ports routes send to, with the Gateways of those routes
   * @param configMaps the data of a ConfigMap, empty when it does not exist
   */
  public static Result evaluate(
      List<BackendTLSPolicy> policies,
      Map<ServicePortUse, Set<ObjectKey>> uses,
      Function<ObjectKey, Optional<Map<String, String>>> configMaps) {
    Set<ObjectKey> askedConfigMaps = new TreeSet<>();
    List<Evaluated> evaluated = new ArrayList<>();
    for (BackendTLSPolicy policy : policies) {
      evaluated.add(evaluate(policy, configMaps, askedConfigMaps));
    }
    // Precedence per target and section: the oldest, then by namespace/name.
    evaluated.sort(
        Comparator.comparing(Evaluated::created)
            .thenComparing(e -> e.key().namespace())
            .thenComparing(e -> e.key().name()));
    Map<Target, Evaluated> winners = new HashMap<>();
    Map<ObjectKey, ObjectKey> conflictedBy = new HashMap<>();
    for (Evaluated policy : evaluated) {
      for (Target target : policy.targets()) {
        Evaluated winner = winners.putIfAbsent(target, policy);
        if (winner != null && winner != policy) {
          conflictedBy.putIfAbsent(policy.key(), winner.key());
        }
      }
    }
    Map<ServicePortUse, Validation> validations = new LinkedHashMap<>();
    Map<ObjectKey, Set<ObjectKey>> ancestors = new TreeMap<>();
    for (Map.Entry<ServicePortUse, Set<ObjectKey>> use : uses.entrySet()) {
      ServicePortUse port = use.getKey();
      Target specific = new Target(port.service(), port.portName());
      Target whole = new Target(port.service(), "");
      @Nullable Evaluated winner = port.portName().isEmpty() ? null : winners.get(specific);
      if (winner == null) {
        winner = winners.get(whole);
      }
      if (winner != null) {
        validations.put(port, winner.validation());
      }
      for (Evaluated policy : evaluated) {
        if (policy.targets().contains(whole)
            || (!port.portName().isEmpty() && policy.targets().contains(specific))) {
          ancestors.computeIfAbsent(policy.key(), k -> new TreeSet<>()).addAll(use.getValue());
        }
      }
    }
    List<GatewayApiStatus.PolicyStatus> statuses = new ArrayList<>();
    for (Evaluated policy : evaluated) {
      Set<ObjectKey> gateways = ancestors.get(policy.key());
      if (gateways == null) {
        continue;
      }
      List<Condition> conditions = new ArrayList<>();
      ObjectKey winner = conflictedBy.get(policy.key());
      if (winner != null) {
        conditions.add(
            Condition.isFalse(
                ACCEPTED,
                "Conflicted",
                "BackendTLSPolicy "
                    + winner
                    + " targets the same Service port and takes precedence",
                policy.generation()));
      } else {
        conditions.add(policy.accepted());
      }
      conditions.add(policy.resolvedRefs());
      List<GatewayApiStatus.ParentStatus> entries = new ArrayList<>();
      for (ObjectKey gateway : gateways) {
        entries.add(
            new GatewayApiStatus.ParentStatus(
                new ParentRef(
                    GatewayApi.GROUP,
                    "Gateway",
                    Optional.of(gateway.namespace()),
                    gateway.name(),
                    Optional.empty(),
                    Optional.empty()),
                GatewayApi.CONTROLLER_NAME,
                conditions));
      }
      statuses.add(new GatewayApiStatus.PolicyStatus(policy.key(), policy.generation(), entries));
    }
    statuses.sort(Comparator.comparing(s -> s.key().toString()));
    return new Result(validations, statuses, askedConfigMaps);
  }

  /** A Service, and a port name or {@code ""} for all its ports. */
  private record Target(ObjectKey service, String section) {}

  private record Evaluated(
      ObjectKey key,
      long generation,
      Instant created,
      List<Target> targets,
      Validation validation,
      Condition accepted,
      Condition resolvedRefs) {}

  private static Evaluated evaluate(
      BackendTLSPolicy policy,
      Function<ObjectKey, Optional<Map<String, String>>> configMaps,
      Set<ObjectKey> asked) {
    ObjectKey key = ObjectKey.of(policy);
    Long written = policy.getMetadata().getGeneration();
    long generation = written == null || written < 1 ? 1 : written;
    Instant created = created(policy.getMetadata().getCreationTimestamp());
    List<Target> targets = new ArrayList<>();
    if (policy.getSpec() != null && policy.getSpec().getTargetRefs() != null) {
      for (LocalPolicyTargetReferenceWithSectionName ref : policy.getSpec().getTargetRefs()) {
        String group = ref.getGroup() == null ? "" : ref.getGroup();
        if (group.isEmpty() && "Service".equals(ref.getKind()) && ref.getName() != null) {
          String section = ref.getSectionName() == null ? "" : ref.getSectionName();
          targets.add(new Target(new ObjectKey(key.namespace(), ref.getName()), section));
        }
      }
    }
    BackendTLSPolicyValidation validation =
        policy.getSpec() == null ? null : policy.getSpec().getValidation();
    String hostname =
        validation == null || validation.getHostname() == null ? "" : validation.getHostname();
    List<Map.Entry<String, String>> names = new ArrayList<>();
    if (validation != null && validation.getSubjectAltNames() != null) {
      for (SubjectAltName name : validation.getSubjectAltNames()) {
        if ("URI".equals(name.getType()) && name.getUri() != null) {
          names.add(Map.entry("URI", name.getUri()));
        } else if ("Hostname".equals(name.getType()) && name.getHostname() != null) {
          names.add(Map.entry("DNS", name.getHostname()));
        }
      }
    }
    List<LocalObjectReference> refs =
        validation == null || validation.getCaCertificateRefs() == null
            ? List.of()
            : validation.getCaCertificateRefs();
    String wellKnown =
        validation == null || validation.getWellKnownCACertificates() == null
            ? ""
            : validation.getWellKnownCACertificates();
    Condition resolved =
        Condition.isTrue(
            RESOLVED_REFS, "ResolvedRefs", "every CA certificate reference resolves", generation);
    Condition accepted =
        Condition.isTrue(ACCEPTED, "Accepted", "the policy is accepted", generation);
    StringBuilder cas = new StringBuilder();
    boolean system = false;
    if (!refs.isEmpty() && !wellKnown.isEmpty()) {
      accepted =
          Condition.isFalse(
              ACCEPTED,
              "Invalid",
              "spec.validation: caCertificateRefs and wellKnownCACertificates are both set"
                  + " (expected: one of them)",
              generation);
    } else if (!wellKnown.isEmpty()) {
      if (wellKnown.equals("System")) {
        system = true;
      } else {
        accepted =
            Condition.isFalse(
                ACCEPTED,
                "Invalid",
                "spec.validation.wellKnownCACertificates: "
                    + wellKnown
                    + " (expected: System); connections to the backend fail",
                generation);
      }
    } else if (refs.isEmpty()) {
      accepted =
          Condition.isFalse(
              ACCEPTED,
              "Invalid",
              "spec.validation: neither caCertificateRefs nor wellKnownCACertificates is set;"
                  + " connections to the backend fail",
              generation);
    } else {
      List<String> problems = new ArrayList<>();
      @Nullable String reason = null;
      for (int i = 0; i < refs.size(); i++) {
        LocalObjectReference ref = refs.get(i);
        String where = "spec.validation.caCertificateRefs[" + i + "]";
        String group = ref.getGroup() == null ? "" : ref.getGroup();
        if (!group.isEmpty() || !"ConfigMap".equals(ref.getKind())) {
          problems.add(
              where
                  + ": "
                  + (group.isEmpty() ? "" : group + "/")
                  + ref.getKind()
                  + " (expected: a ConfigMap)");
          reason = reason == null ? "InvalidKind" : reason;
          continue;
        }
        ObjectKey configMap = new ObjectKey(key.namespace(), ref.getName());
        asked.add(configMap);
        Optional<Map<String, String>> data = configMaps.apply(configMap);
        @Nullable String pem = data.map(d -> d.get(CA_KEY)).orElse(null);
        @Nullable String problem =
            data.isEmpty()
                ? "ConfigMap " + configMap + " not found"
                : pem == null || pem.isBlank()
                    ? "ConfigMap " + configMap + " has no " + CA_KEY
                    : certificatesProblem(pem)
                        .map(p -> "ConfigMap " + configMap + " " + CA_KEY + " " + p)
                        .orElse(null);
        if (problem != null) {
          problems.add(where + ": " + problem);
          reason = reason == null ? "InvalidCACertificateRef" : reason;
        } else {
          cas.append(requireNonNull(pem, "pem: a usable reference has one").strip()).append('\n');
        }
      }
      if (reason != null) {
        resolved =
            Condition.isFalse(
                RESOLVED_REFS,
                reason,
                String.join("; ", problems) + "; connections that need it fail",
                generation);
      }
      if (cas.length() == 0) {
        accepted =
            Condition.isFalse(
                ACCEPTED,
                "NoValidCACertificate",
                "no CA certificate reference is usable; connections to the backend fail",
                generation);
      }
    }
    Validation applied = new Validation(key, cas.toString(), system, hostname, names);
    return new Evaluated(key, generation, created, targets, applied, accepted, resolved);
  }

  /** Why {@code pem} is not a bundle of certificates; empty when it is. */
  private static Optional<String> certificatesProblem(String pem) {
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      return Optional.of("holds no PEM certificate");
    }
    try {
      return CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
              .isEmpty()
          ? Optional.of("holds no PEM certificate")
          : Optional.empty();
    } catch (CertificateException e) {
      return Optional.of("is not valid PEM certificates");
    }
  }

  private static Instant created(@Nullable String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(timestamp);
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }
}
