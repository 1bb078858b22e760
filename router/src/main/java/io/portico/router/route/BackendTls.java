package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.CipherSuiteConverter;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * How Portico checks a backend it speaks TLS to, and what it shows it: ingress-nginx's {@code
 * proxy-ssl-*} annotations, or a Gateway API BackendTLSPolicy. Without {@code verify} the backend's
 * certificate is not checked, as in ingress-nginx.
 *
 * @param trustedCaPem the CA certificates (PEM) a verified backend's chain must lead to; empty for
 *     none
 * @param clientCertificatePem the certificate chain (PEM) Portico shows the backend; empty for none
 * @param clientKeyPem the private key (PEM) of that certificate; empty for none
 * @param verify whether the backend's certificate is checked ({@code proxy-ssl-verify})
 * @param verifyDepth the most intermediates accepted between the backend's certificate and a
 *     trusted CA ({@code proxy-ssl-verify-depth})
 * @param name the host name the certificate must name (unless {@code subjectAltNames} are given),
 *     and the SNI name sent; empty for none: the chain alone is checked, and SNI, when sent, is the
 *     request's host ({@code proxy-ssl-name})
 * @param serverName whether SNI is sent at all ({@code proxy-ssl-server-name})
 * @param protocols the TLS versions offered, as Java names them ({@code TLSv1.2}, {@code TLSv1.3})
 * @param ciphers the TLS 1.2 cipher suites offered, as Java names them; empty for the JDK's
 *     defaults ({@code proxy-ssl-ciphers}). TLS 1.3 suites are not restricted, as in nginx
 * @param systemTrust whether the CAs the JDK trusts are trusted too (BackendTLSPolicy's {@code
 *     wellKnownCACertificates: System})
 * @param subjectAltNames the names one of which the certificate must hold instead of {@code name}
 *     (BackendTLSPolicy's {@code subjectAltNames}); empty to check {@code name}
 */
public record BackendTls(
    String trustedCaPem,
    String clientCertificatePem,
    String clientKeyPem,
    boolean verify,
    int verifyDepth,
    String name,
    boolean serverName,
    List<String> protocols,
    List<String> ciphers,
    boolean systemTrust,
    List<SubjectAltName> subjectAltNames) {

  /** ingress-nginx's defaults: no verification, depth 1, no SNI, TLS 1.2 and 1.3. */
  public static final BackendTls DEFAULT =
      new BackendTls("", "", "", false, 1, "", false, List.of("TLSv1.2", "TLSv1.3"));

  public BackendTls {
    requireNonNull(trustedCaPem, "trustedCaPem");
    requireNonNull(clientCertificatePem, "clientCertificatePem");
    requireNonNull(clientKeyPem, "clientKeyPem");
    requireNonNull(name, "name");
    protocols = List.copyOf(protocols);
    ciphers = List.copyOf(ciphers);
    subjectAltNames = List.copyOf(subjectAltNames);
    if (verifyDepth < 0) {
      throw new IllegalArgumentException("verifyDepth: " + verifyDepth + " (expected: >= 0)");
    }
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("protocols: [] (expected: at least one TLS version)");
    }
    if (clientCertificatePem.isEmpty() != clientKeyPem.isEmpty()) {
      throw new IllegalArgumentException(
          "clientKeyPem: a client certificate and its key come together (expected: both or"
              + " neither)");
    }
  }

  /** Settings with the JDK's cipher suites, no system CAs and no subject alternative names. */
  public BackendTls(
      String trustedCaPem,
      String clientCertificatePem,
      String clientKeyPem,
      boolean verify,
      int verifyDepth,
      String name,
      boolean serverName,
      List<String> protocols) {
    this(
        trustedCaPem,
        clientCertificatePem,
        clientKeyPem,
        verify,
        verifyDepth,
        name,
        serverName,
        protocols,
        List.of(),
        false,
        List.of());
  }

  /**
   * The Java name of a TLS 1.2 cipher suite given in OpenSSL's spelling ({@code
   * ECDHE-RSA-AES128-GCM-SHA256}) or Java's; empty when it names none the JDK supports.
   */
  public static Optional<String> javaCipherSuite(String name) {
    String java =
        name.startsWith("TLS_") || name.startsWith("SSL_")
            ? name
            : CipherSuiteConverter.toJava(name, "TLS");
    return java != null && SupportedSuites.NAMES.contains(java)
        ? Optional.of(java)
        : Optional.empty();
  }

  /** The suites the JDK supports, read once, when first asked. */
  private static final class SupportedSuites {
    static final Set<String> NAMES = read();

    private static Set<String> read() {
      try {
        return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no default TLS context: " + e, e);
      }
    }
  }

  /** Whether Portico shows the backend a certificate of its own (mutual TLS). */
  public boolean hasClientCertificate() {
    return !clientCertificatePem.isEmpty();
  }

  /**
   * A name a backend's certificate may hold, as a BackendTLSPolicy's {@code subjectAltNames} gives
   * it.
   *
   * @param type whether {@code value} is a DNS name or a URI
   * @param value the name: a DNS name (a wildcard certificate entry may cover it) or a URI,
   *     compared exactly
   */
  public record SubjectAltName(Type type, String value) {

    public SubjectAltName {
      requireNonNull(type, "type");
      requireNonNull(value, "value");
    }

    /** The kinds of subject alternative names a policy may name. */
    public enum Type {
      DNS,
      URI
    }

    @Override
    public String toString() {
      return type + ":" + value;
    }
  }
}
