package io.portico.router.proxy;

import io.portico.router.route.BackendTls;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How Portico checks a backend's certificate, as nginx's {@code proxy_ssl_verify}, {@code
 * proxy_ssl_trusted_certificate}, {@code proxy_ssl_verify_depth} and {@code proxy_ssl_name} do:
 * without verification every certificate passes (ingress-nginx's default); with it, the chain must
 * lead to one of the trusted CAs (those of the JDK too, with {@code systemTrust}) in at most {@code
 * verifyDepth} intermediates, and name one of the {@code subjectAltNames} when some are given, else
 * {@code name} when one is set.
 */
final class BackendTrustManager implements X509TrustManager {

  private static final int DNS_NAME = 2;
  private static final int URI = 6;
  private static final int IP_ADDRESS = 7;

  private final BackendTls tls;
  private final Set<TrustAnchor> anchors;

  BackendTrustManager(BackendTls tls) {
    this.tls = tls;
    this.anchors = new HashSet<>();
    for (X509Certificate ca : parse(tls.trustedCaPem())) {
      anchors.add(new TrustAnchor(ca, null));
    }
    if (tls.systemTrust()) {
      for (X509Certificate ca : systemCas()) {
        anchors.add(new TrustAnchor(ca, null));
      }
    }
    if (tls.verify() && !anchors.isEmpty()) {
      warmUp();
    }
  }

  /**
   * Validates a CA against itself once, here (off the event loops: see {@link BackendClients}), so
   * that the first handshake does not load the JDK's whole PKIX machinery on an event loop.
   */
  private void warmUp() {
    X509Certificate ca = anchors.iterator().next().getTrustedCert();
    try {
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(
              CertificateFactory.getInstance("X.509").generateCertPath(List.of(ca)), parameters);
    } catch (GeneralSecurityException e) {
      // Only the classes mattered: a CA that is not self-signed does not validate against itself.
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (!tls.verify()) {
      return;
    }
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the backend showed no certificate");
    }
    if (anchors.isEmpty()) {
      throw new CertificateException("no trusted CA to verify the backend with (proxy-ssl-secret)");
    }
    if (chain.length - 1 > tls.verifyDepth()) {
      throw new CertificateException(
          "certificate chain of "
              + chain.length
              + " is deeper than proxy-ssl-verify-depth "
              + tls.verifyDepth());
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(factory.generateCertPath(Arrays.asList(chain)), parameters);
    } catch (GeneralSecurityException e) {
      // No cause: the log shows the innermost message, which is this one.
      throw new CertificateException("certificate not trusted: " + e.getMessage());
    }
    if (!tls.subjectAltNames().isEmpty()) {
      for (BackendTls.SubjectAltName wanted : tls.subjectAltNames()) {
        if (holds(chain[0], wanted)) {
          return;
        }
      }
      throw new CertificateException(
          "certificate holds none of the subject alternative names " + tls.subjectAltNames());
    }
    if (!tls.name().isEmpty()) {
      if (!names(chain[0], tls.name())) {
        throw new CertificateException(
            "certificate does not name " + tls.name() + " (proxy-ssl-name)");
      }
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a backend connection has no clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }

  private static List<X509Certificate> parse(String pem) {
    List<X509Certificate> out = new ArrayList<>();
    if (pem.isBlank()) {
      return out;
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (var cert :
          factory.generateCertificates(
              new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) cert);
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("trustedCaPem: not PEM certificates (" + e + ")", e);
    }
    return out;
  }

  /** The CAs the JDK trusts by default (its {@code cacerts}). */
  private static List<X509Certificate> systemCas() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      List<X509Certificate> out = new ArrayList<>();
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          out.addAll(Arrays.asList(x509.getAcceptedIssuers()));
        }
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's trusted CAs cannot be read: " + e, e);
    }
  }

  /**
   * Whether {@code certificate} holds {@code wanted}: a DNS name as {@link #names}, a URI exactly.
   */
  static boolean holds(X509Certificate certificate, BackendTls.SubjectAltName wanted) {
    if (wanted.type() == BackendTls.SubjectAltName.Type.DNS) {
      return names(certificate, wanted.value());
    }
    Collection<List<?>> alternatives;
    try {
      alternatives = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (alternatives == null) {
      return false;
    }
    for (List<?> entry : alternatives) {
      if ((Integer) entry.get(0) == URI && wanted.value().equals(String.valueOf(entry.get(1)))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code certificate} names {@code name} among its subject alternative names: a DNS name
   * (a wildcard only as the whole leftmost label, matching one label) or an IP address.
   */
  static boolean names(X509Certificate certificate, String name) {
    Collection<List<?>> alternatives;
    try {
      alternatives = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (alternatives == null) {
      return false;
    }
    String wanted = name.toLowerCase(Locale.ROOT);
    for (List<?> entry : alternatives) {
      int type = (Integer) entry.get(0);
      String value = String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT);
      if (type == IP_ADDRESS && value.equals(wanted)) {
        return true;
      }
      if (type == DNS_NAME && dnsMatches(value, wanted)) {
        return true;
      }
    }
    return false;
  }

  private static boolean dnsMatches(String pattern, String name) {
    if (!pattern.startsWith("*.")) {
      return pattern.equals(name);
    }
    int dot = name.indexOf('.');
    return dot > 0 && name.substring(dot).equals(pattern.substring(1));
  }
}
