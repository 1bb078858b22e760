package io.portico.router.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.portico.router.address.ClientAddressRules;
import io.portico.router.testing.HttpProbe;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CORS through the real server, in the spirit of ingress-nginx's e2e test annotations/cors.go:
 * every OPTIONS from an allowed origin answered with 204, CORS headers on every answer (a
 * basic-auth 401 included), an origin not allowed left to the backend and never echoed.
 */
class CorsIntegrationTest extends AccessPolicyServerTest {

  private static final CorsPolicy EXAMPLE =
      new CorsPolicy(
          List.of("https://app.example.com", "https://*.example.org:8443"),
          CorsPolicy.DEFAULT_METHODS,
          CorsPolicy.DEFAULT_HEADERS,
          "X-Total",
          true,
          CorsPolicy.DEFAULT_MAX_AGE);

  private HttpProbe.Answer send(HttpMethod method, String path, String origin) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (origin != null) {
      headers.add("Origin", origin);
    }
    return client.send(method, "app.test", path, headers, null);
  }

  @Test
  void anAllowedOriginGetsItsHeadersAndEveryOptionsIsAnswered() throws Exception {
    route("/", EXAMPLE);
    publish(ClientAddressRules.PEER_ONLY);
    HttpProbe.Answer preflight = send(HttpMethod.OPTIONS, "/", "https://app.example.com");
    assertEquals(204, preflight.status());
    assertEquals("https://app.example.com", preflight.headers().get("access-control-allow-origin"));
    assertEquals("true", preflight.headers().get("access-control-allow-credentials"));
    assertEquals(
        CorsPolicy.DEFAULT_METHODS, preflight.headers().get("access-control-allow-methods"));
    assertEquals("1728000", preflight.headers().get("access-control-max-age"));
    assertEquals(0, app.requests());

    HttpProbe.Answer get = send(HttpMethod.GET, "/", "https://api.example.org:8443");
    assertEquals(200, get.status());
    assertEquals("https://api.example.org:8443", get.headers().get("access-control-allow-origin"));
    assertEquals("X-Total", get.headers().get("access-control-expose-headers"));
  }

  @Test
  void anOriginNotAllowedIsNeverEchoedAndItsOptionsReachTheBackend() throws Exception {
    route("/", EXAMPLE);
    publish(ClientAddressRules.PEER_ONLY);
    for (String origin :
        new String[] {
          "https://evil.test",
          "https://app.example.com.evil.test",
          "https://a.b.example.org:8443",
          "https://example.org:8443",
          "http://app.example.com"
        }) {
      HttpProbe.Answer answer = send(HttpMethod.OPTIONS, "/", origin);
      assertEquals(200, answer.status(), origin);
      assertNull(answer.headers().get("access-control-allow-origin"), origin);
      assertNull(answer.headers().get("access-control-allow-credentials"), origin);
    }
  }

  @Test
  void everyOriginGetsAStarNotItsOwnOrigin() throws Exception {
    route(
        "/",
        new CorsPolicy(
            List.of("*"),
            CorsPolicy.DEFAULT_METHODS,
            CorsPolicy.DEFAULT_HEADERS,
            "",
            true,
            CorsPolicy.DEFAULT_MAX_AGE));
    publish(ClientAddressRules.PEER_ONLY);
    HttpProbe.Answer answer = send(HttpMethod.OPTIONS, "/", "https://evil.test");
    assertEquals(204, answer.status());
    assertEquals("*", answer.headers().get("access-control-allow-origin"));
    assertEquals(204, send(HttpMethod.OPTIONS, "/", null).status());
  }

  @Test
  void aBasicAuthChallengeCarriesTheCorsHeaders() throws Exception {
    route(
        "/",
        EXAMPLE,
        new BasicAuthPolicy(
            "",
            BasicCredentials.parseFile("alice:$apr1$U7oixadu$o6TW480cWuwR3ayJ.PIfu.")
                .credentials()));
    publish(ClientAddressRules.PEER_ONLY);
    HttpProbe.Answer challenge = send(HttpMethod.GET, "/", "https://app.example.com");
    assertEquals(401, challenge.status());
    assertEquals("https://app.example.com", challenge.headers().get("access-control-allow-origin"));
  }
}
