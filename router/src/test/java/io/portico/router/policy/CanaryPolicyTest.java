package io.portico.router.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.re2j.Pattern;
import io.portico.router.address.ClientAddress;
import io.portico.router.address.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The canary decision without a server, ported from ingress-nginx's balancer and its e2e tests
 * ({@code test/e2e/annotations/canary.go}), then for several canaries.
 */
class CanaryPolicyTest {

  /** A request with headers (first value of each), cookies and a session pin. */
  private record Request(Map<String, String> headers, int pinnedBackend) implements PolicyRequest {

    static Request of(String... headerPairs) {
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 0; i < headerPairs.length; i += 2) {
        headers.put(headerPairs[i].toLowerCase(Locale.ROOT), headerPairs[i + 1]);
      }
      return new Request(headers, -1);
    }

    Request pinnedTo(int backend) {
      return new Request(headers, backend);
    }

    @Override
    public String method() {
      return "GET";
    }

    @Override
    public String host() {
      return "app.test";
    }

    @Override
    public String authority() {
      return host();
    }

    @Override
    public String path() {
      return "/info";
    }

    @Override
    public String pathAndQuery() {
      return "/info";
    }

    @Override
    public String query() {
      return null;
    }

    @Override
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public List<String> headers(String name) {
      String value = header(name);
      return value == null ? List.of() : List.of(value);
    }

    @Override
    public ClientAddress client() {
      return ClientAddress.direct(IpAddress.parse("127.0.0.1").orElseThrow());
    }

    @Override
    public ListenerFacts listener() {
      return new ListenerFacts(false, 443, false);
    }
  }

  private static CanaryMatch match(HeaderMatch header, String cookie, int weight) {
    return new CanaryMatch(Optional.ofNullable(header), Optional.ofNullable(cookie), weight);
  }

  private static CanaryPolicy single(CanaryMatch match) {
    return CanaryPolicy.of(List.of(new CanaryPolicy.Option(match, true)), 100);
  }

  private static CanaryPolicy byHeader(String value, String pattern) {
    HeaderMatch header;
    if (!value.isEmpty()) {
      header = new HeaderMatch.Value("CanaryByHeader", value);
    } else if (!pattern.isEmpty()) {
      header = new HeaderMatch.Regex("CanaryByHeader", Pattern.compile(pattern));
    } else {
      header = new HeaderMatch.AlwaysOrNever("CanaryByHeader");
    }
    return single(match(header, "CanaryByCookie", 0));
  }

  @ParameterizedTest(name = "value={0} pattern={1} header={2} cookie={3} -> {4}")
  @CsvSource(
      nullValues = "-",
      value = {
        // canaried by header with no value
        "'', '', always, -, 1",
        "'', '', never, -, 0",
        "'', '', badheadervalue, -, 0",
        "'', '', -, -, 0",
        // never stops before the cookie; another value lets the cookie decide
        "'', '', never, always, 0",
        "'', '', badheadervalue, always, 1",
        // canaried by header with value: always and never lose their meaning
        "DoCanary, '', DoCanary, -, 1",
        "DoCanary, '', always, -, 0",
        "DoCanary, '', never, -, 0",
        "DoCanary, '', otherheadervalue, -, 0",
        "DoCanary, '', never, always, 1",
        "DoCanary, '', otherheadervalue, always, 1",
        // canaried by header with pattern (unanchored unless the pattern anchors itself)
        "'', ^Do[A-Z][a-z]+y$, DoCanary, -, 1",
        "'', ^Do[A-Z][a-z]+y$, Docanary, -, 0",
        "'', Canary, xxCanaryxx, -, 1",
        // value and pattern: the value wins
        "DoCanary, ^Do[A-Z][a-z]+y$, DoCananry, -, 0",
        // canaried by cookie
        "'', '', -, always, 1",
        "'', '', -, never, 0",
        "'', '', -, badcookievalue, 0",
      })
  void headerThenCookieAsIngressNginxBalancerDecides(
      String value, String pattern, String header, String cookie, int expected) {
    CanaryPolicy policy = byHeader(value, pattern);
    List<String> pairs = new ArrayList<>();
    if (header != null) {
      pairs.add("CanaryByHeader");
      pairs.add(header);
    }
    if (cookie != null) {
      pairs.add("cookie");
      pairs.add("other=1; CanaryByCookie=" + cookie);
    }
    assertEquals(expected, policy.choose(Request.of(pairs.toArray(new String[0]))));
  }

  @Test
  void aPatternThatCouldNotBeCompiledSendsRequestsWithTheHeaderToTheMainBackend() {
    CanaryPolicy policy = single(match(new HeaderMatch.Unusable("CanaryByHeader"), "c", 0));
    assertEquals(0, policy.choose(Request.of("CanaryByHeader", "DoCanary", "cookie", "c=always")));
    assertEquals(1, policy.choose(Request.of("cookie", "c=always")), "without the header");
  }

  @Test
  void aSessionPinComesFirst() {
    CanaryPolicy policy = single(match(new HeaderMatch.AlwaysOrNever("x-canary"), null, 100));
    assertEquals(0, policy.choose(Request.of("x-canary", "always").pinnedTo(0)));
    assertEquals(1, policy.choose(Request.of("x-canary", "never").pinnedTo(1)));
    assertEquals(
        CanaryPolicy.Reason.SESSION, policy.decide(Request.of().pinnedTo(1)).reason(), "pinned");
  }

  @ParameterizedTest(name = "weight {0} of {1}: {2} of every {3} requests")
  @CsvSource({
    "0, 100, 0, 100",
    "100, 100, 100, 100",
    "1000, 1000, 1000, 1000",
    "50, 100, 50, 100",
    "100, 200, 100, 200",
    "5, 100, 5, 100",
    "1, 1000, 1, 1000"
  })
  void weightsAreExactOverTheirTotal(int weight, int total, int canary, int requests) {
    CanaryPolicy policy =
        CanaryPolicy.of(List.of(new CanaryPolicy.Option(CanaryMatch.weight(weight), true)), total);
    int[] counts = new int[2];
    for (int round = 0; round < 3; round++) {
      counts = new int[2];
      for (int i = 0; i < requests; i++) {
        counts[policy.choose(Request.of())]++;
      }
      assertEquals(canary, counts[1], "round " + round);
      assertEquals(requests - canary, counts[0], "round " + round);
    }
  }

  @Test
  void requestsDecidedByHeaderOrCookieDrawNoWeight() {
    CanaryPolicy policy = single(match(new HeaderMatch.AlwaysOrNever("x-canary"), "c", 10));
    int canaries = 0;
    for (int i = 0; i < 100; i++) {
      assertEquals(1, policy.choose(Request.of("x-canary", "always")));
      assertEquals(0, policy.choose(Request.of("x-canary", "never")));
      assertEquals(0, policy.choose(Request.of("cookie", "c=never")));
      canaries += policy.choose(Request.of());
    }
    assertEquals(10, canaries, "the draws of the other requests are exactly 10 in 100");
  }

  @Test
  void aCanaryWithoutEndpointsIsNeverChosen() {
    CanaryPolicy policy =
        CanaryPolicy.of(
            List.of(
                new CanaryPolicy.Option(
                    match(new HeaderMatch.AlwaysOrNever("x-canary"), "c", 100), false)),
            100);
    assertEquals(0, policy.choose(Request.of("x-canary", "always")));
    assertEquals(0, policy.choose(Request.of("cookie", "c=always")));
    assertEquals(0, policy.choose(Request.of()));
    assertEquals(0, policy.choose(Request.of().pinnedTo(1)), "not even a pinned session");
    assertEquals(CanaryPolicy.Reason.NO_CANARY, policy.decide(Request.of()).reason());
  }

  /** Three canaries: by header value, by header pattern and cookie, and by weight alone. */
  private static CanaryPolicy three() {
    return CanaryPolicy.of(
        List.of(
            new CanaryPolicy.Option(
                match(new HeaderMatch.Value("x-version", "v2"), "v2", 10), true),
            new CanaryPolicy.Option(
                match(new HeaderMatch.Regex("x-version", Pattern.compile("^v3")), "v3", 20), true),
            new CanaryPolicy.Option(CanaryMatch.weight(5), true)),
        100);
  }

  @Test
  void severalCanariesAreAskedInOrderHeadersBeforeCookies() {
    CanaryPolicy policy = three();
    assertEquals(1, policy.choose(Request.of("x-version", "v2")));
    assertEquals(2, policy.choose(Request.of("x-version", "v3.1")));
    assertEquals(
        2,
        policy.choose(Request.of("x-version", "v3.1", "cookie", "v2=always")),
        "a header beats an earlier canary's cookie");
    assertEquals(1, policy.choose(Request.of("cookie", "v3=always; v2=always")), "first in order");
    assertEquals(2, policy.choose(Request.of("cookie", "v2=never; v3=always")));
  }

  @Test
  void severalCanariesShareTheTotalExactly() {
    CanaryPolicy policy = three();
    int[] counts = new int[4];
    for (int i = 0; i < 200; i++) {
      counts[policy.choose(Request.of())]++;
    }
    assertEquals(List.of(130, 20, 40, 10), List.of(counts[0], counts[1], counts[2], counts[3]));
  }

  @Test
  void aDrawOnAnExcludedCanaryGoesToTheMainBackend() {
    CanaryPolicy policy = three();
    int[] counts = new int[4];
    for (int i = 0; i < 100; i++) {
      counts[policy.choose(Request.of("cookie", "v3=never"))]++;
    }
    assertEquals(List.of(85, 10, 0, 5), List.of(counts[0], counts[1], counts[2], counts[3]));
  }

  @Test
  void theWeightsMayNotExceedTheTotal() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CanaryPolicy.of(
                List.of(
                    new CanaryPolicy.Option(CanaryMatch.weight(60), true),
                    new CanaryPolicy.Option(CanaryMatch.weight(60), true)),
                100));
  }

  @Test
  void equalCanariesMakeEqualPoliciesWhateverTheirCounters() {
    CanaryPolicy a = three();
    CanaryPolicy b = three();
    a.choose(Request.of());
    assertEquals(a, b);
    assertNotEquals(a, single(CanaryMatch.weight(5)));
  }

  @Test
  void onlyABackendChoicePolicyMayChooseABackend() {
    PolicyChain.Outcome outcome =
        new PolicyChain.Outcome() {
          @Override
          public void proceeded(PolicyChain chain) {}

          @Override
          public void answered(PolicyChain chain, PolicyAnswer answer) {}

          @Override
          public void failed(RequestPolicy policy, RuntimeException error) {
            throw error;
          }

          @Override
          public void execute(Runnable step) {
            step.run();
          }
        };
    RequestPolicy header =
        new TestPolicies.Named(
            "chooser", PolicyPhase.HEADERS, (request, exchange) -> exchange.useBackend(1));
    PolicyChain chain = new PolicyChain(RoutePolicies.of(header), Request.of(), outcome);
    assertThrows(IllegalStateException.class, chain::start);

    PolicyChain chosen =
        new PolicyChain(RoutePolicies.of(single(CanaryMatch.weight(100))), Request.of(), outcome);
    chosen.start();
    assertEquals(1, chosen.upstreamChanges().backend());
  }
}
