package io.portico.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SniKeyManagerTest {

  private static final TlsKeyPair DEFAULT = Fixtures.ec("ingress.local");
  private static final TlsKeyPair APP = Fixtures.ec("app.test");
  private static final TlsKeyPair WILDCARD = Fixtures.ec("*.example.com");
  private static final TlsKeyPair RSA = Fixtures.pair("rsa.crt", "rsa-pkcs8.key");

  private static final Map<String, TlsKeyPair> PAIRS =
      Map.of("default", DEFAULT, "app", APP, "wildcard", WILDCARD, "rsa", RSA);

  private final AtomicReference<CertificateSet> current = new AtomicReference<>(set(DEFAULT));
  private EngineTlsServer server;

  private static CertificateSet set(TlsKeyPair defaultPair) {
    CertificateSet.Builder builder = CertificateSet.builder(defaultPair);
    builder.add("app.test", APP);
    builder.add("*.example.com", WILDCARD);
    builder.addFromSans(RSA);
    return builder.build();
  }

  @BeforeEach
  void startServer() throws Exception {
    server = new EngineTlsServer(new SniKeyManager(current::get));
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
  }

  @ParameterizedTest(name = "{0}: SNI {1} -> {2}")
  @CsvSource({
    "TLSv1.3, app.test,        app",
    "TLSv1.3, APP.TEST,        app",
    "TLSv1.3, a.example.com,   wildcard",
    "TLSv1.3, a.b.example.com, default",
    "TLSv1.3, unknown.test,    default",
    "TLSv1.3, ,                default",
    "TLSv1.3, rsa.test,        rsa",
    "TLSv1.3, x.rsa.test,      rsa",
    "TLSv1.2, app.test,        app",
    "TLSv1.2, a.example.com,   wildcard",
    "TLSv1.2, unknown.test,    default",
    "TLSv1.2, ,                default",
    "TLSv1.2, rsa.test,        rsa",
  })
  void engineServesTheCertificateOfTheName(String protocol, String sni, String expected)
      throws Exception {
    X509Certificate served = TlsClient.served(server.port(), sni, protocol);

    assertEquals(PAIRS.get(expected).leaf(), served, () -> "server failures: " + server.failures());
  }

  @Test
  void swappingTheSetChangesTheNextHandshake() throws Exception {
    assertEquals(DEFAULT.leaf(), TlsClient.served(server.port(), "new.test", "TLSv1.3"));
    TlsKeyPair rotatedApp = Fixtures.ec("app.test");
    TlsKeyPair newDefault = Fixtures.ec("ingress.local");
    CertificateSet.Builder next = CertificateSet.builder(newDefault);
    next.add("app.test", rotatedApp);

    current.set(next.build());

    assertEquals(rotatedApp.leaf(), TlsClient.served(server.port(), "app.test", "TLSv1.3"));
    assertEquals(newDefault.leaf(), TlsClient.served(server.port(), "new.test", "TLSv1.3"));
    assertNotEquals(APP.leaf(), rotatedApp.leaf());
  }

  @Test
  void theListenerHearsTheChosenPairAndCannotFailTheHandshake() throws Exception {
    List<TlsKeyPair> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    CertificateChoiceListener recording =
        (engine, pair) -> {
          assertNotNull(engine);
          heard.add(pair);
          throw new IllegalStateException("a listener failure");
        };
    try (EngineTlsServer listened =
        new EngineTlsServer(new SniKeyManager(current::get, recording))) {
      assertEquals(APP.leaf(), TlsClient.served(listened.port(), "app.test", "TLSv1.3"));
    }
    assertEquals(List.of(APP), heard);
    assertSame(APP, heard.get(0));
  }

  @Test
  void rsaOnlyClientIsNotGivenAnEcCertificate() throws Exception {
    String rsaSuite = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";

    assertEquals(RSA.leaf(), TlsClient.served(server.port(), "rsa.test", "TLSv1.2", rsaSuite));
    assertThrows(
        SSLHandshakeException.class,
        () -> TlsClient.served(server.port(), "app.test", "TLSv1.2", rsaSuite));
    // The server survives the failed handshake.
    assertEquals(APP.leaf(), TlsClient.served(server.port(), "app.test", "TLSv1.2"));
  }

  @Test
  void serverSocketPathSelectsByNameToo() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {new SniKeyManager(current::get)}, null, null);
    try (SSLServerSocket listener =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      for (String sni : new String[] {"a.example.com", null}) {
        CompletableFuture<Void> accepted =
            CompletableFuture.runAsync(
                () -> {
                  try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.startHandshake();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        X509Certificate served = TlsClient.served(listener.getLocalPort(), sni, "TLSv1.3");
        accepted.get(30, TimeUnit.SECONDS);
        assertEquals(sni == null ? DEFAULT.leaf() : WILDCARD.leaf(), served);
      }
    }
  }

  @Test
  void aliasKeepsNamingTheSamePairAcrossASwap() {
    SniKeyManager manager = new SniKeyManager(current::get);
    String alias = manager.chooseServerAlias("EC", null, null);
    assertNotNull(alias);

    current.set(set(Fixtures.ec("ingress.local")));

    assertArrayEquals(new X509Certificate[] {DEFAULT.leaf()}, manager.getCertificateChain(alias));
    assertSame(DEFAULT.privateKey(), manager.getPrivateKey(alias));
    assertNotEquals(alias, manager.chooseServerAlias("EC", null, null));
  }

  @Test
  void equalPairsFromTwoParsesGetDistinctAliases() {
    TlsKeyPair first = Fixtures.pair("ec.crt", "ec-pkcs8.key");
    TlsKeyPair second = Fixtures.pair("ec.crt", "ec-sec1.key");
    SniKeyManager firstManager = new SniKeyManager(() -> CertificateSet.of(first));
    SniKeyManager secondManager = new SniKeyManager(() -> CertificateSet.of(second));

    assertEquals(first, second);
    assertNotEquals(
        firstManager.chooseServerAlias("EC", null, null),
        secondManager.chooseServerAlias("EC", null, null));
  }

  @Test
  void retiredAliasesAreForgottenAndTheCacheStaysBounded() {
    AtomicLong nanos = new AtomicLong();
    SniKeyManager manager = new SniKeyManager(current::get, 4, nanos::get);
    String retired = manager.chooseServerAlias("EC", null, null);

    for (int i = 0; i < 12; i++) {
      current.set(CertificateSet.of(Fixtures.ec("rotation" + i + ".test")));
      String alias = manager.chooseServerAlias("EC", null, null);
      assertNotNull(manager.getCertificateChain(alias));
      assertTrue(manager.recentAliasCount() <= 4, "bounded by its capacity");
    }
    nanos.addAndGet(SniKeyManager.RECENT_ALIAS_IDLE.plus(Duration.ofSeconds(1)).toNanos());

    assertNull(manager.getCertificateChain(retired));
    assertNull(manager.getPrivateKey(retired));
    assertEquals(0, manager.recentAliasCount());
    // The current set's pairs still resolve without the cache.
    assertNotNull(manager.getCertificateChain(current.get().defaultPair().alias()));
  }

  @Test
  void unknownAliasesAndClientSideResolveToNull() {
    SniKeyManager manager = new SniKeyManager(current::get);

    assertNull(manager.getCertificateChain("nope"));
    assertNull(manager.getPrivateKey(null));
    assertNull(manager.chooseClientAlias(new String[] {"EC"}, null, null));
    assertNull(manager.chooseEngineClientAlias(new String[] {"EC"}, null, null));
    assertNull(manager.getClientAliases("EC", null));
  }

  @Test
  void serverAliasesListThePairsOfAKeyType() {
    SniKeyManager manager = new SniKeyManager(current::get);

    assertEquals(List.of(RSA.alias()), List.of(manager.getServerAliases("RSA", null)));
    assertEquals(
        List.of(DEFAULT.alias(), WILDCARD.alias(), APP.alias()),
        List.of(manager.getServerAliases("EC", null)));
    assertNull(manager.getServerAliases("EdDSA", null));
  }

  @ParameterizedTest(name = "{0} fits {1}: {2}")
  @CsvSource({
    "EC,         ec,  true",
    "EC,         rsa, false",
    "RSA,        rsa, true",
    "RSA,        ec,  false",
    "EC_EC,      ec,  true",
    "EC_RSA,     ec,  false",
    "RSASSA-PSS, rsa, false",
    "DH_RSA,     rsa, false",
    "EdDSA,      ec,  false",
  })
  void keyTypeFit(String keyType, String pair, boolean fits) {
    assertEquals(fits, SniKeyManager.fits(keyType, pair.equals("ec") ? APP : RSA));
  }

  @Test
  void nullKeyTypeNeverFits() {
    assertFalse(SniKeyManager.fits(null, APP));
  }
}
