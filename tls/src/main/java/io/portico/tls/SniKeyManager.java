package io.portico.tls;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server key manager that picks the certificate of each handshake from the current {@link
 * CertificateSet} by the client's SNI name, so a new set takes effect at the next handshake without
 * rebuilding any SSL context. It works with the JDK {@code SSLEngine} and {@code SSLServerSocket},
 * and with Netty's OpenSSL engine, which exposes SNI the same way ({@link
 * ExtendedSSLSession#getRequestedServerNames()} of the handshake session).
 *
 * <p><b>Aliases.</b> The alias returned for a handshake names one {@link TlsKeyPair} object, not a
 * host name, so {@link #getCertificateChain} and {@link #getPrivateKey} always return the key and
 * chain of the same pair, even when the set is swapped between the calls. An alias resolves through
 * the current set, then through a bounded cache of recently chosen pairs (1024 entries, each
 * dropped after ten minutes unused). Once a rotated pair has left both, its alias resolves to
 * {@code null}: nothing here grows with rotations. Once a pair's alias is cached, handshakes only
 * read (lock-free hash lookups).
 *
 * <p><b>Key types.</b> A pair is chosen only when it fits the requested key type ({@code "RSA"},
 * {@code "EC"}, or Netty's {@code "EC_EC"}/{@code "EC_RSA"}, where the part after {@code _} is the
 * algorithm that signed the certificate); otherwise the alias is {@code null} and the TLS stack
 * tries its next key type or fails the handshake. An RSA-only client asking for a host with an EC
 * certificate is not given another host's certificate.
 *
 * <p><b>What the router must do with Netty's OpenSSL engine</b> (checked against Netty 4.2.18 and
 * Vert.x 5.2.0):
 *
 * <ul>
 *   <li>Pass this manager as is: {@code KeyCertOptions.wrap(sniKeyManager)}. Vert.x then hands
 *       Netty a plain {@code KeyManagerFactory}, and Netty uses its non-caching {@code
 *       OpenSslKeyMaterialProvider}, which asks this manager for the alias's key and chain at every
 *       handshake and keeps only a single-entry cache compared by object identity (this manager
 *       returns the same key and certificate objects for a pair, so consecutive handshakes for one
 *       pair skip the re-encoding).
 *   <li>Do not wrap it in Netty's {@code OpenSslCachingX509KeyManagerFactory}: its cache is keyed
 *       by alias and assumes an alias always means the same key and chain. That holds here, but
 *       every rotation adds a new alias; the cache is capped ({@code maxCachedEntries}, default
 *       1024) and drops an entry only when it is full and this manager no longer resolves the
 *       alias, so retired key material would sit in native memory until then.
 *   <li>Do not use {@code OpenSslX509KeyManagerFactory} (it pre-computes material for the aliases
 *       of a fixed {@code KeyStore}) nor a per-name {@code keyManagerFactoryMapper}: Vert.x caches
 *       one SSL context per SNI name for those, so rotated certificates would not be picked up.
 *       With {@code KeyCertOptions.wrap} the mapper returns {@code null} and Vert.x keeps only its
 *       default context, whether or not {@code setSni(true)} is set.
 * </ul>
 *
 * <p><b>Per-handshake data.</b> A {@link CertificateChoiceListener} given at construction hears, in
 * {@link #chooseEngineServerAlias}, which pair serves the handshake, with its engine: that is where
 * an OCSP response for the chosen certificate is handed to Netty's OpenSSL engine (BoringSSL sends
 * what the engine holds when it writes the Certificate message, after this callback). What the
 * listener throws is logged and ignored: it never fails the handshake.
 *
 * <p>Client-side methods return {@code null}: this manager never authenticates as a client.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {

  private static final Logger LOG = LoggerFactory.getLogger(SniKeyManager.class);

  /** Capacity of the cache of recently chosen aliases. */
  static final int RECENT_ALIASES = 1024;

  /** How long an alias that is no longer in the current set stays resolvable once unused. */
  static final Duration RECENT_ALIAS_IDLE = Duration.ofMinutes(10);

  private final Supplier<CertificateSet> certificates;
  private final CertificateChoiceListener listener;
  // Keeps a chosen pair resolvable until its handshake has read key and chain, should the set be
  // swapped in between. Bounded in size and in idle time, so rotations do not accumulate.
  private final Cache<String, TlsKeyPair> recent;

  /**
   * @param certificates called at each handshake for the set to choose from, for example {@code ()
   *     -> currentConfig.get().certificates()}; must never return {@code null}
   */
  public SniKeyManager(Supplier<CertificateSet> certificates) {
    this(certificates, CertificateChoiceListener.NONE);
  }

  /**
   * @param certificates as for {@link #SniKeyManager(Supplier)}
   * @param listener told which pair each engine handshake was given (see {@link
   *     CertificateChoiceListener})
   */
  public SniKeyManager(Supplier<CertificateSet> certificates, CertificateChoiceListener listener) {
    this(certificates, listener, RECENT_ALIASES, Ticker.systemTicker());
  }

  SniKeyManager(Supplier<CertificateSet> certificates, long recentCapacity, Ticker ticker) {
    this(certificates, CertificateChoiceListener.NONE, recentCapacity, ticker);
  }

  SniKeyManager(
      Supplier<CertificateSet> certificates,
      CertificateChoiceListener listener,
      long recentCapacity,
      Ticker ticker) {
    this.certificates = requireNonNull(certificates, "certificates");
    this.listener = requireNonNull(listener, "listener");
    this.recent =
        Caffeine.newBuilder()
            .maximumSize(recentCapacity)
            .expireAfterAccess(RECENT_ALIAS_IDLE)
            .ticker(ticker)
            .build();
  }

  @Override
  public @Nullable String chooseEngineServerAlias(
      String keyType, Principal[] issuers, @Nullable SSLEngine engine) {
    TlsKeyPair pair = choose(keyType, engine == null ? null : engine.getHandshakeSession());
    if (pair == null) {
      return null;
    }
    if (engine != null) {
      try {
        listener.chosen(engine, pair);
      } catch (RuntimeException e) {
        LOG.debug(
            "event=certificate_listener_failed subject={} error={}", pair.subject(), e.toString());
      }
    }
    return pair.alias();
  }

  @Override
  public @Nullable String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    SSLSession session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
    TlsKeyPair pair = choose(keyType, session);
    return pair == null ? null : pair.alias();
  }

  /**
   * The aliases of the current set's pairs that fit {@code keyType}, or {@code null} when none
   * does. TLS stacks choose with {@link #chooseEngineServerAlias} instead; this lists what could be
   * chosen.
   */
  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal[] issuers) {
    CertificateSet set = currentSet();
    Set<String> aliases = new LinkedHashSet<>();
    if (fits(keyType, set.defaultPair())) {
      aliases.add(set.defaultPair().alias());
    }
    for (TlsKeyPair pair : set.entries().values()) {
      if (fits(keyType, pair)) {
        aliases.add(pair.alias());
      }
    }
    return aliases.isEmpty() ? null : aliases.toArray(new String[0]);
  }

  /**
   * The chain of the pair named by {@code alias}, leaf first, or {@code null} when the alias is
   * unknown or has been retired.
   */
  @Override
  public X509Certificate @Nullable [] getCertificateChain(@Nullable String alias) {
    TlsKeyPair pair = resolve(alias);
    return pair == null ? null : pair.chain().toArray(new X509Certificate[0]);
  }

  /** The key of the pair named by {@code alias}, or {@code null} when unknown or retired. */
  @Override
  public @Nullable PrivateKey getPrivateKey(@Nullable String alias) {
    TlsKeyPair pair = resolve(alias);
    return pair == null ? null : pair.privateKey();
  }

  @Override
  public String @Nullable [] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public @Nullable String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public @Nullable String chooseEngineClientAlias(
      String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }

  /** The number of recently chosen aliases kept, after pending evictions. */
  long recentAliasCount() {
    recent.cleanUp();
    return recent.estimatedSize();
  }

  private @Nullable TlsKeyPair choose(
      @Nullable String keyType, @Nullable SSLSession handshakeSession) {
    TlsKeyPair pair = currentSet().select(serverName(handshakeSession));
    if (!fits(keyType, pair)) {
      return null;
    }
    if (recent.getIfPresent(pair.alias()) == null) {
      // Written once per pair (and again after an idle expiry); later handshakes only read.
      recent.put(pair.alias(), pair);
    }
    return pair;
  }

  private @Nullable TlsKeyPair resolve(@Nullable String alias) {
    if (alias == null) {
      return null;
    }
    TlsKeyPair pair = currentSet().byAlias(alias);
    return pair != null ? pair : recent.getIfPresent(alias);
  }

  private CertificateSet currentSet() {
    return requireNonNull(certificates.get(), "certificates.get()");
  }

  /**
   * The SNI host name the client sent in the handshake of {@code session}, or {@code null} when it
   * sent none (or the session does not record it).
   */
  public static @Nullable String requestedServerName(@Nullable SSLSession session) {
    return serverName(session);
  }

  /** The SNI host name the client sent, or {@code null} when it sent none. */
  static @Nullable String serverName(@Nullable SSLSession handshakeSession) {
    if (!(handshakeSession instanceof ExtendedSSLSession session)) {
      return null;
    }
    List<SNIServerName> names;
    try {
      names = session.getRequestedServerNames();
    } catch (UnsupportedOperationException e) {
      // Sessions of older providers do not record SNI: treat as no SNI, the default certificate.
      return null;
    }
    if (names == null) {
      return null;
    }
    for (SNIServerName name : names) {
      if (name instanceof SNIHostName host) {
        return host.getAsciiName();
      }
      if (name.getType() == StandardConstants.SNI_HOST_NAME) {
        try {
          return new SNIHostName(name.getEncoded()).getAsciiName();
        } catch (IllegalArgumentException e) {
          // Not a valid host name: the same as no name.
          return null;
        }
      }
    }
    return null;
  }

  /**
   * Whether {@code pair} can serve a request for {@code keyType}: {@code "RSA"} or {@code "EC"}
   * (the key algorithm), optionally followed by {@code _} and the algorithm that must have signed
   * the certificate ({@code "EC_RSA"}). Other types, {@code "RSASSA-PSS"} or {@code "DH_RSA"} for
   * example, never fit the RSA and EC keys Portico accepts.
   */
  static boolean fits(@Nullable String keyType, TlsKeyPair pair) {
    if (keyType == null) {
      return false;
    }
    int underscore = keyType.indexOf('_');
    String keyAlgorithm = underscore < 0 ? keyType : keyType.substring(0, underscore);
    if (!keyAlgorithm.equals(pair.keyType())) {
      return false;
    }
    if (underscore < 0) {
      return true;
    }
    String signer = keyType.substring(underscore + 1);
    return pair.leaf().getSigAlgName().toUpperCase(Locale.ROOT).contains("WITH" + signer);
  }
}
