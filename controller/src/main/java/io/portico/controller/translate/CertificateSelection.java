package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.tls.CertificateFindings;
import io.portico.tls.CertificateSet;
import io.portico.tls.TlsKeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The certificates of one translation: the {@code spec.tls} sections of the owned Ingresses, oldest
 * first, become the {@link ServedCertificates}.
 *
 * <ul>
 *   <li>A section's Secret must be in the Ingress's own namespace, exist, be of type {@code
 *       kubernetes.io/tls} and hold a usable {@code tls.crt}/{@code tls.key}. Otherwise the Ingress
 *       gets a warning naming the Secret and the section's hosts get the default certificate;
 *       nothing else changes.
 *   <li>A usable certificate serves the section's hosts, and also every DNS name of its
 *       subjectAltName that no section names (so a {@code *.example.com} certificate serves the
 *       subdomains). Expired, not-yet-valid certificates and ones that do not cover the section's
 *       hosts are served, with a warning: clients decide.
 *   <li>A host claimed by sections with different Secrets goes to the oldest Ingress (the first
 *       section within one Ingress); the others get a warning. Only usable certificates claim.
 *   <li>A section without {@code secretName} serves its hosts with the default certificate, as
 *       ingress-nginx does.
 * </ul>
 *
 * The default certificate is {@code --default-tls-secret} when that Secret is usable (a warning on
 * the Secret otherwise), else the one generated at start-up.
 */
final class CertificateSelection {

  private record Claim(ObjectKey secret, ObjectKey ingress, TlsKeyPair pair) {}

  private final TlsSecrets secrets;
  private final TlsInputs inputs;
  private final Instant now;
  private final List<Finding> findings = new ArrayList<>();
  private final Map<String, Claim> claims = new LinkedHashMap<>();
  // The Secret each usable pair came from (the first, when two Secrets hold equal text), in order.
  private final Map<TlsKeyPair, ObjectKey> pairs = new IdentityHashMap<>();
  private final List<TlsKeyPair> pairOrder = new ArrayList<>();
  private final Set<ObjectKey> referenced = new HashSet<>();

  CertificateSelection(ClusterSnapshot snapshot, TlsInputs inputs, Instant now) {
    this.secrets = new TlsSecrets(snapshot, inputs.keyPairs());
    this.inputs = inputs;
    this.now = now;
  }

  /** Reads one Ingress's {@code spec.tls}; call in processing order (oldest first). */
  void ingress(Ingress ingress) {
    List<IngressTLS> sections = ingress.getSpec().getTls();
    if (sections == null) {
      return;
    }
    ObjectKey ingressKey = ObjectKey.of(ingress);
    ObjectRef subject = ObjectRef.ingress(ingressKey);
    for (int i = 0; i < sections.size(); i++) {
      IngressTLS section = sections.get(i);
      if (section != null) {
        section(subject, ingressKey, "spec.tls[" + i + "]", section);
      }
    }
  }

  private void section(ObjectRef subject, ObjectKey ingress, String where, IngressTLS section) {
    Set<String> hosts = new LinkedHashSet<>();
    for (String host : section.getHosts() == null ? List.<String>of() : section.getHosts()) {
      if (host == null || host.isBlank()) {
        continue;
      }
      if (CertificateSet.isValidName(host.strip())) {
        hosts.add(host.strip());
      } else {
        warn(
            subject,
            "InvalidHost",
            where + ": host \"" + host + "\" skipped (expected: a DNS name or *. wildcard)");
      }
    }
    String secretName = section.getSecretName();
    if (secretName == null || secretName.isEmpty()) {
      return;
    }
    if (secretName.indexOf('/') >= 0) {
      warn(
          subject,
          "CrossNamespaceReference",
          where
              + ": Secret "
              + secretName
              + " is not in the Ingress's namespace; cross-namespace references are refused"
              + defaultFor(hosts));
      return;
    }
    ObjectKey secret = new ObjectKey(ingress.namespace(), secretName);
    referenced.add(secret);
    TlsSecrets.Loaded loaded = secrets.load(secret);
    if (!loaded.ok()) {
      warn(
          subject,
          requireNonNull(loaded.reason(), "reason"),
          where + ": Secret " + secret + ": " + loaded.problem() + defaultFor(hosts));
      return;
    }
    TlsKeyPair pair = requireNonNull(loaded.pair(), "pair");
    certificateFindings(subject, where + ": Secret " + secret + ": ", pair, hosts);
    if (pairs.putIfAbsent(pair, secret) == null) {
      pairOrder.add(pair);
    }
    for (String host : hosts) {
      String name = normalize(host);
      Claim earlier = claims.putIfAbsent(name, new Claim(secret, ingress, pair));
      if (earlier != null && !earlier.secret().equals(secret) && !earlier.pair().equals(pair)) {
        warn(
            subject,
            "TlsHostConflict",
            where
                + ": host "
                + name
                + " is already served by Secret "
                + earlier.secret()
                + " of Ingress "
                + earlier.ingress()
                + ", which comes first; Secret "
                + secret
                + " is not used for it");
      }
    }
  }

  /** The certificates, with the default one resolved. */
  ServedCertificates build() {
    TlsKeyPair defaultPair = inputs.generatedDefault();
    Optional<ObjectKey> defaultSecret = Optional.empty();
    if (inputs.defaultSecret().isPresent()) {
      ObjectKey key = inputs.defaultSecret().get();
      referenced.add(key);
      ObjectRef subject = new ObjectRef("Secret", key);
      TlsSecrets.Loaded loaded = secrets.load(key);
      if (loaded.ok()) {
        defaultPair = requireNonNull(loaded.pair(), "pair");
        defaultSecret = Optional.of(key);
        certificateFindings(subject, "--default-tls-secret " + key + ": ", defaultPair, Set.of());
      } else {
        warn(
            subject,
            requireNonNull(loaded.reason(), "reason"),
            "--default-tls-secret "
                + key
                + ": "
                + loaded.problem()
                + "; the generated default certificate serves instead");
      }
    }
    CertificateSet.Builder builder = CertificateSet.builder(defaultPair);
    Map<String, ObjectKey> explicit = new HashMap<>();
    claims.forEach(
        (name, claim) -> {
          builder.add(name, claim.pair());
          explicit.put(name, claim.secret());
        });
    pairOrder.forEach(builder::addFromSans);
    CertificateSet set = builder.build();
    Map<String, ServedCertificates.Source> sources = new HashMap<>();
    set.entries()
        .forEach(
            (name, pair) -> {
              ObjectKey claimed = explicit.get(name);
              sources.put(
                  name,
                  claimed != null
                      ? new ServedCertificates.Source(claimed, false)
                      : new ServedCertificates.Source(
                          requireNonNull(pairs.get(pair), "pairs.get(pair)"), true));
            });
    return new ServedCertificates(set, sources, defaultSecret);
  }

  /**
   * The Secrets the certificates depend on, found or not: a change to any other Secret cannot
   * change them. Complete once {@link #build} has run.
   */
  Set<ObjectKey> referencedSecrets() {
    return Set.copyOf(referenced);
  }

  /** The warnings found so far. */
  List<Finding> findings() {
    return findings;
  }

  /**
   * Validity and host coverage of a usable certificate. {@link CertificateFindings#check} reports
   * validity first (expired, then not yet valid), then each uncovered host.
   */
  private void certificateFindings(
      ObjectRef subject, String prefix, TlsKeyPair pair, Set<String> hosts) {
    List<String> problems = CertificateFindings.check(pair, hosts, now);
    int index = 0;
    if (now.isAfter(pair.notAfter())) {
      warn(subject, "CertificateExpired", prefix + problems.get(index++));
    }
    if (now.isBefore(pair.notBefore())) {
      warn(subject, "CertificateNotYetValid", prefix + problems.get(index++));
    }
    for (; index < problems.size(); index++) {
      warn(subject, "CertificateHostMismatch", prefix + problems.get(index));
    }
  }

  /** As {@link CertificateSet} keys names: lower-case, without one trailing dot. */
  private static String normalize(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  private static String defaultFor(Set<String> hosts) {
    if (hosts.isEmpty()) {
      return "";
    }
    return "; "
        + String.join(", ", hosts)
        + (hosts.size() == 1 ? " gets" : " get")
        + " the default certificate";
  }

  private void warn(ObjectRef subject, String reason, String message) {
    findings.add(Finding.warning(subject, reason, message));
  }
}
