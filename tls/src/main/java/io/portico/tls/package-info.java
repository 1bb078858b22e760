/**
 * Certificates for Portico: a validated certificate chain and key ({@link
 * io.portico.tls.TlsKeyPair}, read from PEM by {@code PemReader} and checked by {@code KeyMatch}),
 * findings about a certificate ({@link io.portico.tls.CertificateFindings}), SNI selection ({@link
 * io.portico.tls.CertificateSet}, {@link io.portico.tls.SniKeyManager}), a parse-once cache ({@link
 * io.portico.tls.KeyPairCache}) and generation ({@link io.portico.tls.CertificateGenerator}, and
 * {@link io.portico.tls.Certgen} with its {@code LocalCa} and {@code SecretManifest}).
 *
 * <p>This package knows nothing of Kubernetes or of the proxy. BouncyCastle types never appear in
 * its public API: callers see JDK types ({@link java.security.PrivateKey}, {@link
 * java.security.cert.X509Certificate}) only. Unless a method says otherwise, parameters and results
 * are never {@code null}.
 */
@NullMarked
package io.portico.tls;

import org.jspecify.annotations.NullMarked;
