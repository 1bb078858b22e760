package io.portico.router.policy.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.address.ClientAddress;
import io.portico.router.address.IpAddress;
import io.portico.router.policy.ListenerFacts;
import io.portico.router.policy.PolicyRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ThrottleKeyTest {

  /** A request with these headers, from 10.1.2.3, for app.test. */
  private record Request(Map<String, String> headersByName, @Nullable String query)
      implements PolicyRequest {
    @Override
    public String method() {
      return "GET";
    }

    @Override
    public String host() {
      return "App.Test";
    }

    @Override
    public String authority() {
      return "App.Test:8080";
    }

    @Override
    public String path() {
      return "/a/b";
    }

    @Override
    public String pathAndQuery() {
      return query == null ? "/a/./b" : "/a/./b?" + query;
    }

    @Override
    public @Nullable String header(String name) {
      return headersByName.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public List<String> headers(String name) {
      String value = header(name);
      return value == null ? List.of() : List.of(value);
    }

    @Override
    public ClientAddress client() {
      return ClientAddress.direct(IpAddress.parse("10.1.2.3").orElseThrow());
    }

    @Override
    public ListenerFacts listener() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean tls() {
      return false;
    }
  }

  private static String value(String key, Map<String, String> headers, @Nullable String query) {
    return new ThrottleKey(key).value(new Request(headers, query));
  }

  @Test
  void theDefaultIsTheClientAddress() {
    assertEquals("10.1.2.3", ThrottleKey.REMOTE_ADDR.value(new Request(Map.of(), null)));
  }

  @Test
  void variablesAndTextCombineAsNginxWritesThem() {
    Map<String, String> headers = Map.of("x-api-client", "team-a", "cookie", "session=s1; u=7");
    assertEquals("10.1.2.3team-a", value("${remote_addr}${http_x_api_client}", headers, null));
    assertEquals("team-a-app.test", value("$http_X_API_CLIENT-$host", headers, null));
    assertEquals("7", value("$cookie_u", headers, null));
    assertEquals("k1", value("$arg_key", headers, "a=1&KEY=k1"));
    assertEquals(
        "/a/b/a/./b?x=1GEThttp", value("$uri$request_uri$request_method$scheme", headers, "x=1"));
  }

  @Test
  void anEmptyKeyCountsTheClientAddressInstead() {
    assertEquals("10.1.2.3", value("$http_x_missing", Map.of(), null));
  }

  @Test
  void unknownVariablesAndOtherCharactersAreRefused() {
    Optional<String> unknown = ThrottleKey.problem("$remote_addr$ssl_client_s_dn");
    assertTrue(unknown.orElseThrow().contains("$ssl_client_s_dn is not one"), unknown.toString());
    assertTrue(ThrottleKey.problem("$remote_addr /x").isPresent());
    assertTrue(ThrottleKey.problem("$http_").isPresent(), "a prefix without a name");
    assertThrows(IllegalArgumentException.class, () -> new ThrottleKey("$binary_remote_addr"));
    assertEquals(Optional.empty(), ThrottleKey.problem("${remote_addr}-${http_x_user}"));
  }

  @Test
  void equalTextsAreEqualKeys() {
    assertEquals(new ThrottleKey("$http_x"), new ThrottleKey("$http_x"));
  }
}
