package io.portico.router.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading external-auth values: the variables ingress-nginx's docs use parse, anything nginx would
 * have to interpret does not (CVE-2025-24514 came from interpolating such values), and a URL's host
 * names no variable a client chooses.
 */
class AuthTemplateTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://$host/oauth2/auth",
        "https://$host/oauth2/start?rd=$escaped_request_uri",
        "http://auth.auth.svc.cluster.local:4180/check?uri=$escaped_request_uri&m=$request_method",
        "http://$http_host/auth?user=$cookie_user&next=$arg_next&x=%2F",
        "$scheme://$host$request_uri"
      })
  void urlsOfTheDocsParse(String text) {
    assertEquals(text, AuthTemplate.parse(text, AuthTemplate.Use.URL).text());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://a/;return 200;",
        "http://a/\nlocation",
        "http://a/${host}",
        "http://a/\"quoted\"",
        "http://a/'",
        "http://a/$document_root",
        "http://a/$",
        "http://a/b c",
        "http://a/%zz",
        "http://a/\\",
        "http://a/#frag"
      })
  void whatNginxWouldInterpretDoesNotParse(String text) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> AuthTemplate.parse(text, AuthTemplate.Use.URL));
    assertTrue(e.getMessage().contains("expected"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"$remote_user$http_authorization", "fixed", "$host:$cookie_session"})
  void cacheKeysParse(String text) {
    AuthTemplate.parse(text, AuthTemplate.Use.KEY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"$http_authorization;", "a b", "{x}", "$unknown"})
  void cacheKeysWithOtherCharactersDoNotParse(String text) {
    assertThrows(
        IllegalArgumentException.class, () -> AuthTemplate.parse(text, AuthTemplate.Use.KEY));
  }

  @Test
  void aUrlsHostIsLiteralOrTheRequestsHost() {
    for (String ok :
        new String[] {"https://$host/a", "http://$http_host/a", "http://10.0.0.1:4180/a"}) {
      assertEquals(
          Optional.empty(),
          ExternalAuthSettings.urlProblem(AuthTemplate.parse(ok, AuthTemplate.Use.URL)),
          ok);
    }
    for (String bad :
        new String[] {
          "http://$http_x_target/a",
          "http://$arg_host.example.com/",
          "/relative",
          "ftp://a/",
          "http:///a"
        }) {
      assertTrue(
          ExternalAuthSettings.urlProblem(AuthTemplate.parse(bad, AuthTemplate.Use.URL))
              .isPresent(),
          bad);
    }
  }

  @Test
  void cacheDurationsReadAsProxyCacheValid() {
    assertEquals(
        Map.of(200, Duration.ofMinutes(5), 202, Duration.ofMinutes(5), 401, Duration.ofMinutes(5)),
        AuthCacheDurations.parse(AuthCacheDurations.DEFAULT).orElseThrow().byStatus());
    assertEquals(
        Map.of(200, Duration.ofMinutes(30), 401, Duration.ofSeconds(10)),
        AuthCacheDurations.parse("200 30m, 401 10s").orElseThrow().byStatus());
    assertEquals(
        Map.of(200, Duration.ofHours(1), 301, Duration.ofHours(1), 302, Duration.ofHours(1)),
        AuthCacheDurations.parse("1h").orElseThrow().byStatus());
    for (String bad : new String[] {"", "200", "5m 200", "abc 5m", "200 5x", "200;5m"}) {
      assertEquals(Optional.empty(), AuthCacheDurations.parse(bad), bad);
    }
  }
}
