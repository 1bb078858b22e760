package io.portico.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.testing.Await;
import io.portico.router.testing.OcspResponder;
import io.portico.router.testing.TestVertx;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateSet;
import io.portico.tls.KeyType;
import io.portico.tls.TlsKeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stapler's life cycle against a local responder, with short timings. */
class OcspStaplerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Refreshes every 100 ms, retries from 50 ms. */
  private static final OcspStapler.Timing FAST =
      new OcspStapler.Timing(
          Duration.ofMillis(50),
          Duration.ofMillis(100),
          Duration.ofMillis(100),
          Duration.ofHours(1),
          Duration.ofMillis(50),
          Duration.ofMillis(200),
          Duration.ofSeconds(5));

  private static TlsKeyPair ca;
  private static TlsKeyPair impostor;

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private OcspResponder responder;
  private OcspStapler stapler;

  @BeforeAll
  static void authorities() {
    Instant now = Instant.now();
    ca = CertificateGenerator.certificateAuthority("CA", KeyType.EC_P256, Duration.ofDays(30), now);
    impostor =
        CertificateGenerator.certificateAuthority(
            "Impostor", KeyType.EC_P256, Duration.ofDays(30), now);
  }

  @AfterEach
  void stop() throws Exception {
    if (stapler != null) {
      TestVertx.await(stapler.close());
    }
    if (responder != null) {
      responder.close();
    }
  }

  private TlsKeyPair leaf() {
    TlsKeyPair leaf =
        CertificateGenerator.signedBy(
            ca,
            CertificateGenerator.LeafRequest.builder()
                .dnsName("ocsp.test")
                .validity(Duration.ofDays(7))
                .ocspResponder(responder.url())
                .build(),
            Instant.now());
    return TlsKeyPair.of(leaf.privateKey(), List.of(leaf.leaf(), ca.leaf()));
  }

  private OcspStapler start(AtomicReference<CertificateSet> served) {
    return OcspStapler.start(
        vertx.vertx(),
        () -> List.of(served.get()),
        Clock.systemUTC(),
        FAST,
        UpstreamAddressGuard.ofThisHost("127.0.0.1"));
  }

  @Test
  void aRevocationStopsTheStaplingAtTheNextRefresh() throws Exception {
    responder = OcspResponder.start(vertx.vertx(), ca, impostor);
    TlsKeyPair pair = leaf();
    stapler = start(new AtomicReference<>(CertificateSet.of(pair)));
    Await.until("stapling", WAIT, () -> stapler.stapling(pair));
    responder.answer(OcspResponder.Answer.REVOKED);
    Await.until("no longer stapling", WAIT, () -> !stapler.stapling(pair));
  }

  @Test
  void failuresAreRetriedUntilTheResponderAnswers() throws Exception {
    responder = OcspResponder.start(vertx.vertx(), ca, impostor);
    responder.answer(OcspResponder.Answer.SERVER_ERROR);
    TlsKeyPair pair = leaf();
    stapler = start(new AtomicReference<>(CertificateSet.of(pair)));
    Await.until("retried", WAIT, () -> responder.requests() >= 3);
    assertFalse(stapler.stapling(pair));
    responder.answer(OcspResponder.Answer.GOOD);
    Await.until("stapling", WAIT, () -> stapler.stapling(pair));
  }

  @Test
  void aResponseIsStapledUntilItsNextUpdateOnly() throws Exception {
    responder = OcspResponder.start(vertx.vertx(), ca, impostor);
    responder.validity(Duration.ofSeconds(2));
    TlsKeyPair pair = leaf();
    stapler = start(new AtomicReference<>(CertificateSet.of(pair)));
    Await.until("stapling", WAIT, () -> stapler.stapling(pair));
    // The responder goes down: the kept response serves until its nextUpdate, then nothing.
    responder.answer(OcspResponder.Answer.SERVER_ERROR);
    Await.until("expired", WAIT, () -> !stapler.stapling(pair));
  }

  @Test
  void aCertificateThatGoesIsForgottenAndOneThatComesIsFetched() throws Exception {
    responder = OcspResponder.start(vertx.vertx(), ca, impostor);
    TlsKeyPair first = leaf();
    TlsKeyPair second = leaf();
    AtomicReference<CertificateSet> served = new AtomicReference<>(CertificateSet.of(first));
    stapler = start(served);
    Await.until("first stapling", WAIT, () -> stapler.stapling(first));
    served.set(CertificateSet.of(second));
    Await.until("second stapling", WAIT, () -> stapler.stapling(second));
    Await.until("first forgotten", WAIT, () -> !stapler.tracked().contains(first));
    assertFalse(stapler.stapling(first));
  }

  @Test
  void aResponderAtACloudMetadataOrLinkLocalAddressIsNeverAsked() throws Exception {
    // The responder URL comes from a tenant's certificate: Portico must not be sent to the
    // metadata service (or anywhere link-local) by it, whatever the certificate says.
    for (String url : List.of("http://169.254.169.254/latest/", "http://[fe80::1]:8080/ocsp")) {
      TlsKeyPair leaf =
          CertificateGenerator.signedBy(
              ca,
              CertificateGenerator.LeafRequest.builder()
                  .dnsName("ocsp.test")
                  .validity(Duration.ofDays(7))
                  .ocspResponder(url)
                  .build(),
              Instant.now());
      TlsKeyPair pair = TlsKeyPair.of(leaf.privateKey(), List.of(leaf.leaf(), ca.leaf()));
      stapler = start(new AtomicReference<>(CertificateSet.of(pair)));
      Await.until(
          "the fetch refused for " + url,
          WAIT,
          () -> String.valueOf(stapler.lastFailure(pair)).contains("refused: link-local"));
      assertFalse(stapler.stapling(pair));
      TestVertx.await(stapler.close());
      stapler = null;
    }
  }

  @Test
  void aCertificateWithoutAResponderIsNeverFetched() throws Exception {
    responder = OcspResponder.start(vertx.vertx(), ca, impostor);
    TlsKeyPair selfSigned = CertificateGenerator.defaultCertificate(Instant.now());
    stapler = start(new AtomicReference<>(CertificateSet.of(selfSigned)));
    Await.until("tracked", WAIT, () -> stapler.tracked().contains(selfSigned));
    assertFalse(stapler.stapling(selfSigned));
    assertEquals(0, responder.requests());
  }

  @Test
  void refreshHalfwayWithinBoundsAndRetryDoubling() {
    OcspStapler.Timing timing = OcspStapler.Timing.DEFAULT;
    Instant now = Instant.parse("2026-12-07T00:00:00Z");
    assertEquals(Duration.ofHours(12), timing.refreshIn(now, now.plus(Duration.ofDays(7))));
    assertEquals(Duration.ofHours(2), timing.refreshIn(now, now.plus(Duration.ofHours(4))));
    assertEquals(Duration.ofSeconds(10), timing.refreshIn(now, now.plusSeconds(4)));
    assertEquals(Duration.ofSeconds(10), timing.retryIn(1));
    assertEquals(Duration.ofSeconds(20), timing.retryIn(2));
    assertEquals(Duration.ofSeconds(80), timing.retryIn(4));
    assertEquals(Duration.ofMinutes(10), timing.retryIn(30));
    assertTrue(timing.retryIn(1000).compareTo(Duration.ofMinutes(10)) <= 0);
  }
}
