package io.portico.router.access;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.address.ClientAddressRules;
import io.portico.router.testing.AuthService;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.LogCapture;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * External authentication through the real server with a real auth service, in the spirit of
 * ingress-nginx's e2e test annotations/auth.go ("when external authentication is configured"): a
 * 2xx lets the request through with the listed headers copied (and a listed header the service did
 * not send removed), 401 and 403 are returned, a 401 with a sign-in page becomes a 302 with the
 * original URL, anything else or no answer is 500, answers are remembered by key, the service's
 * cookie reaches the client, and values of the request are only ever data.
 */
class ExternalAuthIntegrationTest extends AccessPolicyServerTest {

  private AuthService auth;

  @BeforeEach
  void startAuth() throws Exception {
    auth = await(AuthService.start(vertx.vertx()));
  }

  private String authUrl(String path) {
    return "http://127.0.0.1:" + auth.port() + path;
  }

  private void protect(UnaryOperator<ExternalAuthSettings.Builder> settings) {
    ExternalAuthSettings.Builder builder =
        ExternalAuthSettings.builder(AuthTemplate.parse(authUrl("/check"), AuthTemplate.Use.URL))
            .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
    route("/", new ExternalAuthPolicy(settings.apply(builder).build(), "app.test/"));
    publish(ClientAddressRules.PEER_ONLY);
  }

  private HttpProbe.Answer get(String uri, String... headers) throws Exception {
    return send(HttpMethod.GET, uri, null, headers);
  }

  private HttpProbe.Answer send(HttpMethod method, String uri, String body, String... headers)
      throws Exception {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    return client.send(method, "app.test", uri, map, body == null ? null : Buffer.buffer(body));
  }

  @Test
  void aSuccessLetsTheRequestThroughWithTheListedHeaders() throws Exception {
    protect(b -> b.responseHeaders(List.of("X-User", "X-Email", "X-Groups")));
    auth.answer(200, "X-User", "alice", "X-Groups", "admins", "X-Other", "not listed");
    HttpProbe.Answer answer =
        get("/a/b?q=1", "X-Email", "forged@example.com", "Cookie", "session=abc");
    assertEquals(200, answer.status());
    JsonObject seenByApp = answer.json().getJsonObject("headers");
    assertEquals("alice", seenByApp.getString("x-user"));
    assertEquals("admins", seenByApp.getString("x-groups"));
    assertNull(seenByApp.getString("x-email"), "a listed header the service did not send");
    assertNull(seenByApp.getString("x-other"));
    assertEquals(1, app.requests());

    AuthService.Seen check = auth.last();
    assertEquals("GET", check.method());
    assertEquals("/check", check.uri());
    assertEquals("/a/b?q=1", check.headers().get("X-Original-URI"));
    assertEquals("http://app.test/a/b?q=1", check.headers().get("X-Original-URL"));
    assertEquals("GET", check.headers().get("X-Original-Method"));
    assertEquals("nginx-ingress-controller", check.headers().get("X-Sent-From"));
    assertEquals("127.0.0.1", check.headers().get("X-Real-IP"));
    assertEquals("127.0.0.1", check.headers().get("X-Forwarded-For"));
    assertEquals("/a/b?q=1", check.headers().get("X-Auth-Request-Redirect"));
    assertEquals("session=abc", check.headers().get("Cookie"), "the client's headers go along");
    assertEquals("127.0.0.1:" + auth.port(), check.headers().get("Host"));
  }

  @Test
  void theBodyIsNeitherSentToTheServiceNorReadBeforeItsAnswer() throws Exception {
    protect(b -> b);
    String body = "x".repeat(200_000);
    HttpProbe.Answer answer = send(HttpMethod.POST, "/upload", body);
    assertEquals(200, answer.status());
    assertEquals(body.length(), answer.json().getLong("bodyBytes").intValue());
    AuthService.Seen check = auth.last();
    assertEquals("GET", check.method());
    assertEquals(0, check.bodyBytes());
    assertNull(check.headers().get("content-length"));
    assertNull(check.headers().get("transfer-encoding"));
    assertEquals("POST", check.headers().get("X-Original-Method"));
  }

  @Test
  void aMethodAndHeadersOfItsOwnGoToTheService() throws Exception {
    protect(
        b ->
            b.method("POST")
                .requestRedirect(
                    AuthTemplate.parse("https://$host/start$request_uri", AuthTemplate.Use.URL))
                .proxySetHeaders(
                    List.of(
                        new ExternalAuthSettings.ProxyHeader(
                            "X-Tenant",
                            AuthTemplate.parse("blue-$remote_addr", AuthTemplate.Use.HEADER)))));
    assertEquals(200, get("/p?x=1").status());
    AuthService.Seen check = auth.last();
    assertEquals("POST", check.method());
    assertEquals("https://app.test/start/p?x=1", check.headers().get("X-Auth-Request-Redirect"));
    assertEquals("blue-127.0.0.1", check.headers().get("X-Tenant"));
  }

  @Test
  void unauthorizedAndForbiddenAreReturned() throws Exception {
    protect(b -> b);
    auth.answer(401, "WWW-Authenticate", "Bearer realm=\"apps\"");
    HttpProbe.Answer unauthorized = get("/");
    assertEquals(401, unauthorized.status());
    assertEquals("Bearer realm=\"apps\"", unauthorized.headers().get("www-authenticate"));
    auth.answer(403);
    assertEquals(403, get("/").status());
    assertEquals(0, app.requests());
  }

  @Test
  void anyOtherAnswerOrNoneIsAnInternalError() throws Exception {
    protect(b -> b);
    for (int status : new int[] {302, 404, 429, 500, 503}) {
      auth.answer(status);
      assertEquals(500, get("/").status(), "auth answered " + status);
    }
    assertEquals(0, app.requests());
  }

  @Test
  void aServiceThatDoesNotAnswerInTimeIsAnInternalError() throws Exception {
    ExternalAuthSettings settings =
        ExternalAuthSettings.builder(AuthTemplate.parse(authUrl("/check"), AuthTemplate.Use.URL))
            .timeouts(Duration.ofSeconds(5), Duration.ofMillis(300))
            .build();
    route("/", new ExternalAuthPolicy(settings, "app.test/"));
    publish(ClientAddressRules.PEER_ONLY);
    auth.answer(request -> {});
    assertEquals(500, get("/").status());
    assertEquals(0, app.requests());
  }

  @Test
  void aServiceThatCannotBeReachedIsAnInternalError() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    ExternalAuthSettings settings =
        ExternalAuthSettings.builder(
                AuthTemplate.parse("http://127.0.0.1:" + closed + "/", AuthTemplate.Use.URL))
            .build();
    route("/", new ExternalAuthPolicy(settings, "app.test/"));
    publish(ClientAddressRules.PEER_ONLY);
    assertEquals(500, get("/").status());
    assertEquals(0, app.requests());
  }

  @Test
  void aServiceAtTheCloudMetadataAddressIsNeverAsked() throws Exception {
    ExternalAuthSettings settings =
        ExternalAuthSettings.builder(
                AuthTemplate.parse(
                    "http://169.254.169.254/latest/meta-data/", AuthTemplate.Use.URL))
            .build();
    route("/", new ExternalAuthPolicy(settings, "app.test/"));
    publish(ClientAddressRules.PEER_ONLY);
    try (LogCapture logs = new LogCapture()) {
      assertEquals(500, get("/").status());
      Await.until(
          "a warning naming the address",
          Duration.ofSeconds(5),
          () -> logs.text().contains("event=side_request_refused host=169.254.169.254"));
    }
    assertEquals(0, app.requests());
  }

  @Test
  void unauthorizedWithASigninPageRedirectsWithTheOriginalUrl() throws Exception {
    protect(b -> b.signin(AuthTemplate.parse("http://$host/auth/start", AuthTemplate.Use.URL)));
    auth.answer(401);
    HttpProbe.Answer answer = get("/?a=b&c=d");
    assertEquals(302, answer.status());
    assertEquals(
        "http://app.test/auth/start?rd=http://app.test%2F%3Fa%3Db%26c%3Dd",
        answer.headers().get("location"));
    auth.answer(403);
    assertEquals(403, get("/?a=b").status(), "only a 401 goes to the sign-in page");
  }

  @Test
  void theRedirectParameterCanBeRenamedOrGivenByTheSigninUrl() throws Exception {
    protect(
        b ->
            b.signin(AuthTemplate.parse("http://$host/auth/start?x=1", AuthTemplate.Use.URL))
                .redirectParam("orig"));
    auth.answer(401);
    assertEquals(
        "http://app.test/auth/start?x=1&orig=http://app.test%2F%3Fa%3Db",
        get("/?a=b").headers().get("location"));
  }

  @Test
  void aSigninUrlMayGiveTheRedirectParameterItself() throws Exception {
    auth.answer(401);
    protect(
        b ->
            b.signin(
                AuthTemplate.parse(
                    "https://$host/oauth2/start?rd=$escaped_request_uri", AuthTemplate.Use.URL)));
    assertEquals(
        "https://app.test/oauth2/start?rd=%2Fx%3Fa%3Db", get("/x?a=b").headers().get("location"));
  }

  @Test
  void answersAreRememberedByKeyForTheirDuration() throws Exception {
    protect(
        b ->
            b.cache(
                AuthTemplate.parse("$http_authorization", AuthTemplate.Use.KEY),
                AuthCacheDurations.parse("200 401 30m").orElseThrow()));
    auth.answer(200);
    assertEquals(200, get("/", "Authorization", "Bearer one").status());
    assertEquals(1, auth.seen().size());
    auth.answer(503);
    assertEquals(200, get("/", "Authorization", "Bearer one").status(), "remembered");
    assertEquals(1, auth.seen().size());
    assertEquals(500, get("/", "Authorization", "Bearer two").status(), "another key");
    assertEquals(500, get("/", "Authorization", "Bearer two").status(), "503 is not remembered");
    assertEquals(3, auth.seen().size());
  }

  @Test
  void theServicesCookieReachesTheClientOnSuccess() throws Exception {
    protect(b -> b);
    auth.answer(200, "Set-Cookie", "alma=armud; Path=/");
    assertEquals("alma=armud; Path=/", get("/").headers().get("set-cookie"));
    assertNull(get("/?status=503").headers().get("set-cookie"), "not on the backend's error");
  }

  @Test
  void alwaysSetCookieSetsItOnEveryAnswer() throws Exception {
    protect(b -> b.alwaysSetCookie(true));
    auth.answer(200, "Set-Cookie", "alma=armud; Path=/");
    HttpProbe.Answer failed = get("/?status=503");
    assertEquals(503, failed.status());
    assertEquals("alma=armud; Path=/", failed.headers().get("set-cookie"));
    auth.answer(401, "Set-Cookie", "alma=gone; Path=/");
    assertEquals("alma=gone; Path=/", get("/").headers().get("set-cookie"));
  }

  @Test
  void valuesOfTheRequestAreDataInTheUrl() throws Exception {
    ExternalAuthSettings settings =
        ExternalAuthSettings.builder(
                AuthTemplate.parse(
                    authUrl("/check?user=$http_x_user&arg=$arg_next"), AuthTemplate.Use.URL))
            .build();
    route("/", new ExternalAuthPolicy(settings, "app.test/"));
    publish(ClientAddressRules.PEER_ONLY);
    assertEquals(200, get("/?next=/a%3Fb", "X-User", "bob&admin=1 #\"{;}").status());
    String uri = auth.last().uri();
    assertEquals("/check?user=bob%26admin%3D1%20%23%22%7B%3B%7D&arg=/a%3Fb", uri);
    assertFalse(uri.contains("&admin"));
    assertTrue(auth.last().headers().contains("X-User"));
  }
}
