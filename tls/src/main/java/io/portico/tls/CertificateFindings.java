package io.portico.tls;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Warnings about a valid {@link TlsKeyPair} used for some hosts: Portico still serves such a
 * certificate (clients decide), but the Ingress that uses it should say why clients may refuse it.
 */
public final class CertificateFindings {

  private CertificateFindings() {}

  /**
   * Checks the leaf's validity at {@code now} and whether its DNS names cover each of {@code hosts}
   * (the {@code spec.tls[].hosts} of an Ingress).
   *
   * <p>A certificate name {@code *.example.com} covers exactly one extra label ({@code
   * a.example.com}, not {@code example.com} nor {@code a.b.example.com}); a host {@code
   * *.example.com} is covered only by the certificate name {@code *.example.com}. Hosts are
   * compared case-insensitively, a trailing dot ignored; empty hosts are skipped and duplicates
   * reported once. The subject CN is never used, as clients ignore it.
   *
   * @return human-readable warnings in a stable order (validity first, then hosts in the given
   *     order); empty when there is nothing to say
   */
  public static List<String> check(TlsKeyPair pair, Collection<String> hosts, Instant now) {
    requireNonNull(pair, "pair");
    requireNonNull(hosts, "hosts");
    requireNonNull(now, "now");
    List<String> findings = new ArrayList<>();
    if (now.isAfter(pair.notAfter())) {
      findings.add(
          "certificate expired on " + pair.notAfter() + " (subject " + pair.subject() + ")");
    }
    if (now.isBefore(pair.notBefore())) {
      findings.add(
          "certificate is not valid before "
              + pair.notBefore()
              + " (subject "
              + pair.subject()
              + ")");
    }
    Set<String> unique = new LinkedHashSet<>();
    for (String host : hosts) {
      if (host != null && !host.isBlank()) {
        unique.add(HostNames.normalize(host.strip()));
      }
    }
    for (String host : unique) {
      if (!isCovered(pair, host)) {
        findings.add(notCovered(pair, host));
      }
    }
    return List.copyOf(findings);
  }

  private static boolean isCovered(TlsKeyPair pair, String host) {
    for (String name : pair.dnsNames()) {
      if (HostNames.covers(HostNames.normalize(name), host)) {
        return true;
      }
    }
    return false;
  }

  private static String notCovered(TlsKeyPair pair, String host) {
    if (pair.dnsNames().isEmpty()) {
      return "host \""
          + host
          + "\" is not covered: the certificate has no DNS names in subjectAltName (subject "
          + pair.subject()
          + "; clients ignore the CN)";
    }
    return "host \""
        + host
        + "\" is not covered by the certificate's DNS names "
        + pair.dnsNames()
        + " (subject "
        + pair.subject()
        + ")";
  }
}
