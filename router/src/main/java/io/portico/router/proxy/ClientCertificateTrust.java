package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.ClientAuth;
import io.vertx.core.Vertx;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Asks for a client certificate in exactly the handshakes whose server name wants one, through
 * Vert.x's own SNI support: with {@code setSni(true)}, Vert.x reads the ClientHello's server name
 * before it creates the connection's {@code SSLEngine}, and asks {@link #trustManagerMapper} for
 * that name's trust managers. For a name that wants a certificate the mapper returns {@link
 * #ACCEPTING}, and the {@link SslContextFactory} of {@link #engineOptions} builds that context with
 * client authentication {@code OPTIONAL}; for any other name it returns {@code null} and Vert.x
 * uses its default context, which never sends a CertificateRequest.
 *
 * <p>The decision is made before the engine exists because the JDK's engine copies its settings
 * when the handshake starts: turning client authentication on from a key manager, mid-handshake,
 * would not reach that handshake.
 *
 * <p>The handshake never fails over a certificate: {@link #ACCEPTING} accepts any chain (the TLS
 * stack still checks that the client holds the certificate's key), and the route's {@code
 * ClientCertificatePolicy} checks it against the route's CA per request, as nginx checks {@code
 * ssl_verify_client} after the handshake. So one context serves every host that asks, whatever its
 * CA, and nothing is rebuilt when a CA changes; the contexts are made once per ALPN list and kept.
 * The CertificateRequest names no CA.
 */
final class ClientCertificateTrust implements TrustOptions {

  /** The trust manager of handshakes that ask for a certificate: it accepts any chain. */
  static final X509ExtendedTrustManager ACCEPTING = new AcceptingTrustManager();

  private final Predicate<@Nullable String> requested;

  /**
   * @param requested whether a server name wants a client certificate (see {@link
   *     ClientCertificateHosts})
   */
  ClientCertificateTrust(Predicate<@Nullable String> requested) {
    this.requested = requireNonNull(requested, "requested");
  }

  @Override
  public TrustOptions copy() {
    return this;
  }

  /** None: the default context trusts no client, and asks none. */
  @Override
  public @Nullable TrustManagerFactory getTrustManagerFactory(Vertx vertx) {
    return null;
  }

  @Override
  public Function<String, TrustManager @Nullable []> trustManagerMapper(Vertx vertx) {
    TrustManager[] accepting = {ACCEPTING};
    return serverName -> requested.test(serverName) ? accepting : null;
  }

  /**
   * {@code engine}'s options, with a context factory that turns client authentication on for the
   * contexts Vert.x builds with {@link #ACCEPTING}.
   */
  static SSLEngineOptions engineOptions(TlsEngine engine) {
    return engineOptions(engine, false);
  }

  /**
   * {@link #engineOptions(TlsEngine)}, with OCSP stapling on in every OpenSSL context when {@code
   * ocspStapling} (see {@link OcspContextFactory}).
   */
  static SSLEngineOptions engineOptions(TlsEngine engine, boolean ocspStapling) {
    return engine == TlsEngine.OPENSSL
        ? new OpenSsl(new Contexts(), ocspStapling)
        : new Jdk(new Contexts());
  }

  /** The contexts that ask for a certificate, one per ALPN list, shared by an options' copies. */
  private static final class Contexts {
    private final java.util.concurrent.ConcurrentHashMap<
            List<String>, io.netty.handler.ssl.SslContext>
        byAlpn = new java.util.concurrent.ConcurrentHashMap<>();
  }

  private static final class OpenSsl extends OpenSSLEngineOptions {
    private final Contexts contexts;
    private final boolean ocspStapling;

    OpenSsl(Contexts contexts, boolean ocspStapling) {
      this.contexts = contexts;
      this.ocspStapling = ocspStapling;
    }

    @Override
    public OpenSSLEngineOptions copy() {
      OpenSsl copy = new OpenSsl(contexts, ocspStapling);
      copy.setSessionCacheEnabled(isSessionCacheEnabled());
      copy.setUseWorkerThread(getUseWorkerThread());
      return copy;
    }

    @Override
    public SslContextFactory sslContextFactory() {
      SslContextFactory factory =
          ocspStapling
              ? new OcspContextFactory(isSessionCacheEnabled())
              : super.sslContextFactory();
      return new RequestingFactory(factory, contexts);
    }
  }

  private static final class Jdk extends JdkSSLEngineOptions {
    private final Contexts contexts;

    Jdk(Contexts contexts) {
      this.contexts = contexts;
    }

    @Override
    public JdkSSLEngineOptions copy() {
      Jdk copy = new Jdk(contexts);
      copy.setUseWorkerThread(getUseWorkerThread());
      return copy;
    }

    @Override
    public SslContextFactory sslContextFactory() {
      return new RequestingFactory(super.sslContextFactory(), contexts);
    }
  }

  /**
   * Passes everything to Vert.x's factory; a context whose trust managers are {@link #ACCEPTING} is
   * made with client authentication {@code OPTIONAL}, once per ALPN list.
   */
  private static final class RequestingFactory implements SslContextFactory {
    private final SslContextFactory delegate;
    private final Contexts contexts;
    private boolean requesting;
    private List<String> alpn = List.of();

    RequestingFactory(SslContextFactory delegate, Contexts contexts) {
      this.delegate = delegate;
      this.contexts = contexts;
    }

    @Override
    public SslContextFactory useAlpn(boolean useAlpn) {
      delegate.useAlpn(useAlpn);
      return this;
    }

    @Override
    public SslContextFactory forServer(ClientAuth clientAuth) {
      delegate.forServer(clientAuth);
      return this;
    }

    @Override
    public SslContextFactory forClient(@Nullable SNIServerName serverName, String endpoint) {
      delegate.forClient(serverName, endpoint);
      return this;
    }

    @Override
    public SslContextFactory enabledProtocols(Set<String> protocols) {
      delegate.enabledProtocols(protocols);
      return this;
    }

    @Override
    public SslContextFactory keyMananagerFactory(KeyManagerFactory factory) {
      delegate.keyMananagerFactory(factory);
      return this;
    }

    @Override
    public SslContextFactory trustManagerFactory(TrustManagerFactory factory) {
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager == ACCEPTING) {
          requesting = true;
        }
      }
      delegate.trustManagerFactory(factory);
      return this;
    }

    @Override
    public SslContextFactory enabledCipherSuites(Set<String> cipherSuites) {
      delegate.enabledCipherSuites(cipherSuites);
      return this;
    }

    @Override
    public SslContextFactory applicationProtocols(@Nullable List<String> protocols) {
      alpn = protocols == null ? List.of() : List.copyOf(protocols);
      delegate.applicationProtocols(protocols);
      return this;
    }

    @Override
    public io.netty.handler.ssl.SslContext create() throws SSLException {
      if (!requesting) {
        return delegate.create();
      }
      io.netty.handler.ssl.SslContext cached = contexts.byAlpn.get(alpn);
      if (cached != null) {
        return cached;
      }
      delegate.forServer(ClientAuth.OPTIONAL);
      io.netty.handler.ssl.SslContext created = delegate.create();
      io.netty.handler.ssl.SslContext raced = contexts.byAlpn.putIfAbsent(alpn, created);
      return raced != null ? raced : created;
    }
  }

  /** Accepts any client chain: the route's policy checks it, per request, against its CA. */
  private static final class AcceptingTrustManager extends X509ExtendedTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("not a client trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("not a client trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("not a client trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return NONE;
    }
  }
}
