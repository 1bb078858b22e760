package io.portico.router.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.address.ClientAddress;
import io.portico.router.policy.ListenerFacts;
import io.portico.router.policy.MirrorPolicy;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyRequest;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.ClientCertificateAuthority;
import io.portico.tls.KeyType;
import io.portico.tls.Pem;
import io.portico.tls.TlsKeyPair;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decisions of {@link ClientCertificatePolicy}, without a server. */
class ClientCertificatePolicyTest {

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final TlsKeyPair CA =
      CertificateGenerator.certificateAuthority(
          "Client CA", KeyType.EC_P256, Duration.ofDays(365), NOW);
  private static final TlsKeyPair ALICE =
      CertificateGenerator.signedBy(
          CA,
          CertificateGenerator.LeafRequest.builder()
              .commonName("alice")
              .dnsName("alice.test")
              .validity(Duration.ofDays(30))
              .forClients()
              .build(),
          NOW);

  private static ClientCertificatePolicy policy(ClientVerifyMode mode, Instant at)
      throws Exception {
    return new ClientCertificatePolicy(
        mode,
        ClientCertificateAuthority.fromPem(Pem.certificates(CA.chain()), null),
        1,
        Optional.empty(),
        false,
        Optional.empty(),
        Clock.fixed(at, ZoneOffset.UTC));
  }

  private static final class Outcome implements PolicyExchange {
    String decision = "pending";
    final Map<String, String> upstream = new LinkedHashMap<>();

    @Override
    public void proceed() {
      decision = "proceed";
    }

    @Override
    public void answer(PolicyAnswer given) {
      decision = "answer " + given.status();
    }

    @Override
    public void useBackend(int index) {}

    @Override
    public void mirror(MirrorPolicy copy) {}

    @Override
    public void upstreamUri(String pathAndQuery) {}

    @Override
    public void upstreamAuthority(String authority) {}

    @Override
    public void setUpstreamHeader(String name, String value) {
      upstream.put(name, value);
    }

    @Override
    public void removeUpstreamHeader(String name) {
      upstream.put(name, "(removed)");
    }

    @Override
    public void setResponseHeader(String name, String value) {}

    @Override
    public void addResponseHeader(String name, String value) {}
  }

  private static PolicyRequest request(
      boolean tls, String serverName, String host, List<X509Certificate> chain) {
    return new PolicyRequest() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public String host() {
        return host;
      }

      @Override
      public String authority() {
        return host;
      }

      @Override
      public String path() {
        return "/";
      }

      @Override
      public String pathAndQuery() {
        return "/";
      }

      @Override
      public String query() {
        return null;
      }

      @Override
      public String header(String name) {
        return null;
      }

      @Override
      public List<String> headers(String name) {
        return List.of();
      }

      @Override
      public ClientAddress client() {
        return ClientAddress.UNKNOWN;
      }

      @Override
      public ListenerFacts listener() {
        return new ListenerFacts(tls, 443, false);
      }

      @Override
      public List<X509Certificate> clientCertificates() {
        return chain;
      }

      @Override
      public String tlsServerName() {
        return serverName;
      }
    };
  }

  private static Outcome apply(ClientCertificatePolicy policy, PolicyRequest request) {
    Outcome outcome = new Outcome();
    policy.apply(request, outcome);
    return outcome;
  }

  @Test
  void theCertificateIsCheckedAtTheClocksTime() throws Exception {
    PolicyRequest request = request(true, "a.test", "a.test", ALICE.chain());
    assertEquals("proceed", apply(policy(ClientVerifyMode.ON, NOW), request).decision);
    assertEquals(
        "answer 400",
        apply(policy(ClientVerifyMode.ON, NOW.plus(Duration.ofDays(31))), request).decision,
        "expired");
  }

  @Test
  void plainHttpCarriesNoCertificate() throws Exception {
    PolicyRequest plain = request(false, null, "a.test", ALICE.chain());
    assertEquals("answer 400", apply(policy(ClientVerifyMode.ON, NOW), plain).decision);
    Outcome optional = apply(policy(ClientVerifyMode.OPTIONAL, NOW), plain);
    assertEquals("proceed", optional.decision);
    assertEquals("NONE", optional.upstream.get(ClientCertificatePolicy.VERIFY_HEADER));
  }

  @Test
  void aRequestForAnotherHostIsMisdirectedWhateverTheSpelling() {
    assertFalse(ClientCertificatePolicy.misdirected("a.test", "A.Test."));
    assertFalse(ClientCertificatePolicy.misdirected(null, "a.test"), "no SNI: nothing was asked");
    assertTrue(ClientCertificatePolicy.misdirected("a.test", "b.test"));
    assertTrue(ClientCertificatePolicy.misdirected("a.test", null));
  }

  @Test
  void theEscapedCertificateDecodesToItsPem() {
    String escaped = ClientCertificatePolicy.escapedPem(ALICE.leaf());
    assertTrue(escaped.startsWith("-----BEGIN%20CERTIFICATE-----%0A"), escaped);
    assertFalse(escaped.contains("+") || escaped.contains("/") || escaped.contains("="), escaped);
    assertEquals(
        Pem.certificates(List.of(ALICE.leaf())).replace("\r\n", "\n"),
        URLDecoder.decode(escaped, StandardCharsets.US_ASCII));
  }

  @Test
  void equalSettingsGiveEqualPolicies() throws Exception {
    assertEquals(policy(ClientVerifyMode.ON, NOW), policy(ClientVerifyMode.ON, NOW));
    assertNotEquals(policy(ClientVerifyMode.ON, NOW), policy(ClientVerifyMode.OPTIONAL, NOW));
  }
}
