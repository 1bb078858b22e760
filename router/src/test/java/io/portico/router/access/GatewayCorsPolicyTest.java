package io.portico.router.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which origins the Gateway API's CORS filter allows (the answers are tested end to end). */
class GatewayCorsPolicyTest {

  private static GatewayCorsPolicy allowing(String... origins) {
    return new GatewayCorsPolicy(List.of(origins), List.of(), List.of(), List.of(), false, 5);
  }

  @Test
  void aWildcardLabelStandsForOneLabelOrMore() {
    GatewayCorsPolicy policy = allowing("https://*.bar.com");
    assertTrue(policy.allows("https://www.bar.com"));
    assertTrue(policy.allows("https://xpto.www.bar.com"));
    assertTrue(policy.allows("HTTPS://WWW.BAR.COM"));
    assertFalse(policy.allows("https://bar.com"));
    assertFalse(policy.allows("https://www.foobar.com"));
    assertFalse(policy.allows("http://www.bar.com"));
    assertFalse(policy.allows("https://www.bar.com:8443"));
  }

  @Test
  void aMissingPortIsTheSchemesDefault() {
    assertTrue(allowing("https://www.foo.com").allows("https://www.foo.com:443"));
    assertTrue(allowing("https://www.foo.com:443").allows("https://www.foo.com"));
    assertTrue(allowing("http://www.foo.com").allows("http://www.foo.com:80"));
    assertFalse(allowing("http://www.foo.com").allows("http://www.foo.com:443"));
    assertTrue(allowing("http://[::1]:8080").allows("http://[::1]:8080"));
  }

  @Test
  void aStarAloneAllowsEveryOriginButNone() {
    GatewayCorsPolicy policy = allowing("*");
    assertTrue(policy.allows("https://foobar.com:12345"));
    assertTrue(policy.allows("null"));
    assertFalse(policy.allows(null));
    assertFalse(allowing("https://www.foo.com").allows("null"));
  }

  @Test
  void anOriginThatIsNotOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> allowing("ftp://www.foo.com"));
    assertThrows(IllegalArgumentException.class, () -> allowing("https://www.foo.com/path"));
  }
}
