package io.portico.router.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.router.address.CidrSet;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.testing.HttpProbe;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * {@code satisfy: any} through the real server, as nginx's {@code satisfy any}: an admitted address
 * needs no credentials, any other needs them, and a denied address that authenticates gets in. (The
 * test client is 127.0.0.1.)
 */
class SatisfyAnyIntegrationTest extends AccessPolicyServerTest {

  private static final BasicCredentials USERS =
      BasicCredentials.parseFile("alice:$apr1$U7oixadu$o6TW480cWuwR3ayJ.PIfu.\n").credentials();

  private int status(String user) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (user != null) {
      headers.add(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    HttpProbe.Answer answer = client.send(HttpMethod.GET, "app.test", "/", headers, null);
    return answer.status();
  }

  private void protect(SourceRangePolicy ranges) {
    route("/", new SatisfyAnyPolicy(ranges, new BasicAuthPolicy("staff", USERS)));
    publish(ClientAddressRules.PEER_ONLY);
  }

  @Test
  void anAdmittedAddressNeedsNoCredentials() throws Exception {
    protect(new SourceRangePolicy(CidrSet.parseList("127.0.0.0/8"), CidrSet.EMPTY));
    assertEquals(200, status(null));
  }

  @Test
  void anyOtherAddressMustAuthenticate() throws Exception {
    protect(new SourceRangePolicy(CidrSet.parseList("10.0.0.0/8"), CidrSet.EMPTY));
    assertEquals(401, status(null));
    assertEquals(401, status("alice:wrong"));
    assertEquals(200, status("alice:wonderland"));
  }

  @Test
  void aDeniedAddressThatAuthenticatesGetsIn() throws Exception {
    protect(new SourceRangePolicy(CidrSet.EMPTY, CidrSet.parseList("127.0.0.1/32")));
    assertEquals(401, status(null));
    assertEquals(200, status("alice:wonderland"));
  }
}
