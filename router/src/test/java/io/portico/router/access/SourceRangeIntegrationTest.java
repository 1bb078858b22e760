package io.portico.router.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.router.address.CidrSet;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.address.ClientAddressRules.Source;
import io.portico.router.policy.HttpsRedirectPolicy;
import io.portico.router.testing.HttpProbe;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

/**
 * Source ranges through the real server, in the spirit of ingress-nginx's e2e tests
 * annotations/ipallowlist.go and ipdenylist.go. The test client connects from 127.0.0.1.
 */
class SourceRangeIntegrationTest extends AccessPolicyServerTest {

  private int status(String path, String forwardedFor) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (forwardedFor != null) {
      headers.add("X-Forwarded-For", forwardedFor);
    }
    return client.send(HttpMethod.GET, "app.test", path, headers, null).status();
  }

  private static SourceRangePolicy allow(String ranges) {
    return new SourceRangePolicy(CidrSet.parseList(ranges), CidrSet.EMPTY);
  }

  private static SourceRangePolicy deny(String ranges) {
    return new SourceRangePolicy(CidrSet.EMPTY, CidrSet.parseList(ranges));
  }

  @Test
  void anAllowListAdmitsItsAddressesAndRefusesOthersWith403() throws Exception {
    route("/in", allow("18.0.0.0/8, 56.0.0.0/8, 127.0.0.1"));
    route("/out", allow("18.0.0.0/8, 56.0.0.0/8"));
    publish(ClientAddressRules.PEER_ONLY);
    assertEquals(200, status("/in", null));
    HttpProbe.Answer refused = client.get("app.test", "/out");
    assertEquals(403, refused.status());
    assertEquals(1, app.requests());
  }

  @Test
  void aDenyListRefusesItsAddresses() throws Exception {
    route("/denied", deny("127.0.0.0/8, 2001:db8::/32"));
    route("/other", deny("18.0.0.0/8"));
    publish(ClientAddressRules.PEER_ONLY);
    assertEquals(403, status("/denied", null));
    assertEquals(200, status("/other", null));
  }

  @Test
  void theCheckRunsBeforeTheHttpsRedirect() throws Exception {
    // ingress-nginx #4662: a refused client must not even learn where the redirect goes.
    route("/secure", HttpsRedirectPolicy.INSTANCE, allow("10.0.0.0/8"));
    route("/secure-in", HttpsRedirectPolicy.INSTANCE, allow("127.0.0.1"));
    publish(ClientAddressRules.PEER_ONLY);
    assertEquals(403, status("/secure", null));
    assertEquals(308, status("/secure-in", null));
  }

  @Test
  void anUntrustedClientCannotForwardItselfIntoTheAllowList() throws Exception {
    route("/in", allow("10.0.0.0/8"));
    route("/denied", deny("127.0.0.1"));
    publish(
        new ClientAddressRules(
            Source.FORWARDED_HEADERS, "X-Forwarded-For", CidrSet.parseList("192.0.2.0/24"), true));
    assertEquals(403, status("/in", "10.0.0.1"));
    assertEquals(403, status("/denied", "10.0.0.1"));
  }

  @Test
  void behindATrustedProxyTheForwardedAddressDecides() throws Exception {
    route("/in", allow("10.0.0.0/8"));
    route("/denied", deny("10.0.0.1"));
    publish(
        new ClientAddressRules(
            Source.FORWARDED_HEADERS, "X-Forwarded-For", CidrSet.parseList("127.0.0.1"), false));
    assertEquals(200, status("/in", "10.0.0.1"));
    assertEquals(403, status("/in", "192.0.2.1"));
    assertEquals(403, status("/denied", "10.0.0.1"));
    assertEquals(200, status("/denied", "10.0.0.2"));
  }
}
