package io.portico.router.proxy;

import io.portico.tls.SniKeyManager;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.KeyCertOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The TLS side of the HTTPS listener: protocols, ciphers, ALPN and the certificate selector.
 *
 * <p>Protocols are TLS 1.3 and 1.2 only (RFC 8996 deprecates 1.0 and 1.1). The TLS 1.2 suites are
 * ECDHE key exchange with AEAD ciphers only (AES-GCM and ChaCha20-Poly1305), the forward-secret
 * subset of Mozilla's "intermediate" configuration without its finite-field DHE suites; TLS 1.3
 * suites are all AEAD by design.
 *
 * <p>Certificates come from one {@link SniKeyManager} passed with {@link KeyCertOptions#wrap}: it
 * reads the live configuration at every handshake, so a swapped certificate set serves the next
 * handshake without rebuilding any SSL context (see its Javadoc for why no other key manager
 * factory may be used here).
 *
 * <p>The HTTPS listener also asks for client certificates in the handshakes of the hosts that want
 * them, and in no other ({@link ClientCertificateTrust}): Vert.x's SNI support picks the context by
 * server name before the handshake starts. Every context uses the same {@link SniKeyManager}, so
 * rotation works the same for them.
 *
 * <p>With OCSP stapling on ({@code enable-ocsp}) and the OpenSSL engine, every context is built
 * with OCSP on ({@link OcspContextFactory}) and the {@link SniKeyManager}'s listener, an {@link
 * OcspStapler}, hands each handshake the response for its certificate.
 */
final class TlsServerOptions {

  /** The enabled protocol versions. */
  static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

  /** The enabled cipher suites, in the server's order of preference. */
  static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private TlsServerOptions() {}

  /**
   * {@code base} (a copy) with TLS on, for a resolved engine and the given certificate selector.
   */
  static HttpServerOptions of(HttpServerOptions base, TlsEngine engine, SniKeyManager keyManager) {
    return of(base, engine, keyManager, false);
  }

  /**
   * {@link #of(HttpServerOptions, TlsEngine, SniKeyManager)}, with contexts that can staple OCSP
   * responses when {@code ocspStapling} (OpenSSL only: see {@link OcspContextFactory}).
   */
  static HttpServerOptions of(
      HttpServerOptions base, TlsEngine engine, SniKeyManager keyManager, boolean ocspStapling) {
    HttpServerOptions options =
        new HttpServerOptions(base)
            .setSsl(true)
            .setUseAlpn(true)
            .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
            .setEnabledSecureTransportProtocols(new LinkedHashSet<>(PROTOCOLS))
            .setSslEngineOptions(
                ocspStapling && OcspContextFactory.supported(engine)
                    ? OcspContextFactory.engineOptions()
                    : engine.options())
            .setKeyCertOptions(KeyCertOptions.wrap(keyManager));
    for (String suite : CIPHER_SUITES) {
      options.addEnabledCipherSuite(suite);
    }
    return options;
  }

  /**
   * {@link #of(HttpServerOptions, TlsEngine, SniKeyManager)}, asking for a client certificate in
   * the handshakes whose server name {@code requested} accepts, and in no other (see {@link
   * ClientCertificateTrust}).
   */
  static HttpServerOptions of(
      HttpServerOptions base,
      TlsEngine engine,
      SniKeyManager keyManager,
      Predicate<@Nullable String> requested) {
    return of(base, engine, keyManager, false, requested);
  }

  /**
   * {@link #of(HttpServerOptions, TlsEngine, SniKeyManager, Predicate)}, with contexts that can
   * staple OCSP responses when {@code ocspStapling} (see {@link OcspContextFactory}).
   */
  static HttpServerOptions of(
      HttpServerOptions base,
      TlsEngine engine,
      SniKeyManager keyManager,
      boolean ocspStapling,
      Predicate<@Nullable String> requested) {
    boolean stapling = ocspStapling && OcspContextFactory.supported(engine);
    return of(base, engine, keyManager, stapling)
        .setSni(true)
        .setTrustOptions(new ClientCertificateTrust(requested))
        .setSslEngineOptions(ClientCertificateTrust.engineOptions(engine, stapling));
  }
}
