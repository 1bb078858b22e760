package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How Portico checks a backend it speaks TLS to, and what it shows it: ingress-nginx's {@code
 * proxy-ssl-*} annotations. Without {@code proxy-ssl-verify} the backend's certificate is not
 * checked, as in ingress-nginx.
 *
 * @param trustedCaPem the CA certificates (PEM) a verified backend's chain must lead to; empty for
 *     none
 * @param clientCertificatePem the certificate chain (PEM) Portico shows the backend; empty for none
 * @param clientKeyPem the private key (PEM) of that certificate; empty for none
 * @param verify whether the backend's certificate is checked ({@code proxy-ssl-verify})
 * @param verifyDepth the longest chain accepted ({@code proxy-ssl-verify-depth})
 * @param name the host name the certificate must name, and the SNI name sent; empty for the
 *     request's host ({@code proxy-ssl-name})
 * @param serverName whether SNI is sent at all ({@code proxy-ssl-server-name})
 * @param protocols the TLS versions offered, as Java names them ({@code TLSv1.2}, {@code TLSv1.3})
 */
public record BackendTls(
    String trustedCaPem,
    String clientCertificatePem,
    String clientKeyPem,
    boolean verify,
    int verifyDepth,
    String name,
    boolean serverName,
    List<String> protocols) {

  /** ingress-nginx's defaults: no verification, depth 1, no SNI, TLS 1.2 and 1.3. */
  public static final BackendTls DEFAULT =
      new BackendTls("", "", "", false, 1, "", false, List.of("TLSv1.2", "TLSv1.3"));

  public BackendTls {
    requireNonNull(trustedCaPem, "trustedCaPem");
    requireNonNull(clientCertificatePem, "clientCertificatePem");
    requireNonNull(clientKeyPem, "clientKeyPem");
    requireNonNull(name, "name");
    protocols = List.copyOf(protocols);
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

  /** Whether Portico shows the backend a certificate of its own (mutual TLS). */
  public boolean hasClientCertificate() {
    return !clientCertificatePem.isEmpty();
  }
}
