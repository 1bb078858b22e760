package io.portico.router.proxy;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Builds the HTTPS listener's OpenSSL server contexts with OCSP stapling on ({@code
 * SslContextBuilder.enableOcsp(true)}), which Vert.x's own factory cannot do: otherwise it builds
 * them as Vert.x's {@code DefaultSslContextFactory} does (the options' ciphers, protocols, ALPN
 * with OpenSSL's no-advertise behaviour, client authentication, session cache). With OCSP on, an
 * engine takes the response {@link OcspStapler} hands it during the handshake; an engine given none
 * staples nothing, as before.
 *
 * <p>Only for servers and Netty's OpenSSL provider: the JDK engine staples only what its own
 * blocking OCSP client fetches ({@code jdk.tls.server.enableStatusRequestExtension}), which Portico
 * never turns on.
 */
final class OcspContextFactory implements SslContextFactory {

  private final boolean sessionCacheEnabled;
  private boolean forServer;
  private boolean useAlpn;
  private ClientAuth clientAuth = ClientAuth.NONE;
  private @Nullable Set<String> protocols;
  private @Nullable Set<String> cipherSuites;
  private @Nullable List<String> applicationProtocols;
  private @Nullable KeyManagerFactory keyManagerFactory;
  private @Nullable TrustManagerFactory trustManagerFactory;

  OcspContextFactory(boolean sessionCacheEnabled) {
    this.sessionCacheEnabled = sessionCacheEnabled;
  }

  /** Whether stapling works with {@code engine} on this machine: OpenSSL with OCSP support. */
  static boolean supported(TlsEngine engine) {
    return engine == TlsEngine.OPENSSL && OpenSsl.isOcspSupported();
  }

  /** OpenSSL engine options whose contexts staple; for listeners that ask no client certificate. */
  static OpenSSLEngineOptions engineOptions() {
    return new Stapling();
  }

  @Override
  public SslContextFactory useAlpn(boolean useAlpn) {
    this.useAlpn = useAlpn;
    return this;
  }

  @Override
  public SslContextFactory forServer(ClientAuth clientAuth) {
    this.forServer = true;
    this.clientAuth = clientAuth;
    return this;
  }

  @Override
  public SslContextFactory forClient(@Nullable SNIServerName serverName, String endpoint) {
    throw new IllegalStateException("OCSP stapling contexts are for servers only");
  }

  @Override
  public SslContextFactory enabledProtocols(Set<String> protocols) {
    this.protocols = protocols;
    return this;
  }

  @Override
  public SslContextFactory keyMananagerFactory(KeyManagerFactory factory) {
    this.keyManagerFactory = factory;
    return this;
  }

  @Override
  public SslContextFactory trustManagerFactory(TrustManagerFactory factory) {
    this.trustManagerFactory = factory;
    return this;
  }

  @Override
  public SslContextFactory enabledCipherSuites(Set<String> cipherSuites) {
    this.cipherSuites = cipherSuites;
    return this;
  }

  @Override
  public SslContextFactory applicationProtocols(@Nullable List<String> protocols) {
    this.applicationProtocols = protocols;
    return this;
  }

  @Override
  public SslContext create() throws SSLException {
    if (!forServer || keyManagerFactory == null) {
      throw new IllegalStateException(
          "OCSP stapling context: forServer with a key manager (expected: a server context)");
    }
    SslContextBuilder builder =
        SslContextBuilder.forServer(keyManagerFactory)
            .sslProvider(SslProvider.OPENSSL)
            .enableOcsp(true)
            .clientAuth(clientAuth);
    if (trustManagerFactory != null) {
      builder.trustManager(trustManagerFactory);
    }
    Collection<String> ciphers =
        cipherSuites == null || cipherSuites.isEmpty()
            ? OpenSsl.availableOpenSslCipherSuites()
            : cipherSuites;
    builder.ciphers(ciphers);
    if (useAlpn && applicationProtocols != null && !applicationProtocols.isEmpty()) {
      // OpenSSL cannot send a fatal alert here: Vert.x's choice for this provider.
      builder.applicationProtocolConfig(
          new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              applicationProtocols));
    }
    if (protocols != null) {
      builder.protocols(protocols);
    }
    SslContext context = builder.build();
    if (context.sessionContext() instanceof OpenSslServerSessionContext sessions) {
      sessions.setSessionCacheEnabled(sessionCacheEnabled);
    }
    return context;
  }

  /** OpenSSL options whose factory is this one. */
  private static final class Stapling extends OpenSSLEngineOptions {

    @Override
    public OpenSSLEngineOptions copy() {
      Stapling copy = new Stapling();
      copy.setSessionCacheEnabled(isSessionCacheEnabled());
      copy.setUseWorkerThread(getUseWorkerThread());
      return copy;
    }

    @Override
    public SslContextFactory sslContextFactory() {
      return new OcspContextFactory(isSessionCacheEnabled());
    }
  }
}
