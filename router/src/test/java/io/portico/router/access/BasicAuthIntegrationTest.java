package io.portico.router.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.address.CidrSet;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.testing.HttpProbe;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Basic authentication through the real server, in the spirit of ingress-nginx's e2e test
 * annotations/auth.go: 401 with the realm without credentials or with wrong ones, the backend with
 * right ones (bcrypt, checked off the event loop, and MD5-crypt), the body of a waiting request
 * intact, and an allow list checked first.
 */
class BasicAuthIntegrationTest extends AccessPolicyServerTest {

  private static final BasicCredentials USERS =
      BasicCredentials.parseFile(
              "carol:$2y$05$jyxgHN.me5e/eEW3d3j4TOieaC8.WBaNverh/1JToW9R7i7mBzsJW\n"
                  + "alice:$apr1$U7oixadu$o6TW480cWuwR3ayJ.PIfu.\n")
          .credentials();

  private HttpProbe.Answer send(HttpMethod method, String path, String user, String body)
      throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (user != null) {
      headers.add(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(
        method, "app.test", path, headers, body == null ? null : Buffer.buffer(body));
  }

  @Test
  void credentialsAreRequiredAndChecked() throws Exception {
    route("/", new BasicAuthPolicy("Staff only", USERS));
    publish(ClientAddressRules.PEER_ONLY);
    HttpProbe.Answer none = send(HttpMethod.GET, "/", null, null);
    assertEquals(401, none.status());
    assertEquals("Basic realm=\"Staff only\"", none.headers().get("www-authenticate"));
    assertEquals(401, send(HttpMethod.GET, "/", "carol:wrong", null).status());
    assertEquals(401, send(HttpMethod.GET, "/", "nobody:s3cret", null).status());
    assertEquals(0, app.requests());
    HttpProbe.Answer carol = send(HttpMethod.GET, "/", "carol:s3cret", null);
    assertEquals(200, carol.status());
    assertTrue(
        carol.json().getJsonObject("headers").getString("authorization").startsWith("Basic "));
    assertEquals(200, send(HttpMethod.GET, "/", "alice:wonderland", null).status());
  }

  @Test
  void aBodyWaitsForTheCheckAndArrivesWhole() throws Exception {
    route("/", new BasicAuthPolicy("", USERS));
    publish(ClientAddressRules.PEER_ONLY);
    String body = "x".repeat(200_000);
    HttpProbe.Answer answer = send(HttpMethod.POST, "/", "carol:s3cret", body);
    assertEquals(200, answer.status());
    assertEquals(body.length(), answer.json().getLong("bodyBytes").intValue());
  }

  @Test
  void theSourceRangeIsCheckedBeforeTheCredentials() throws Exception {
    route(
        "/",
        new BasicAuthPolicy("", USERS),
        new SourceRangePolicy(CidrSet.parseList("10.0.0.0/8"), CidrSet.EMPTY));
    publish(ClientAddressRules.PEER_ONLY);
    assertEquals(403, send(HttpMethod.GET, "/", "carol:s3cret", null).status());
    assertEquals(403, send(HttpMethod.GET, "/", null, null).status());
  }
}
