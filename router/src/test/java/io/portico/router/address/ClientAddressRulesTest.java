package io.portico.router.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.address.ClientAddressRules.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressRulesTest {

  private static final ClientAddressRules BEHIND_LB =
      new ClientAddressRules(
          Source.FORWARDED_HEADERS,
          ClientAddressRules.X_FORWARDED_FOR,
          CidrSet.parseList("10.0.0.0/8"),
          false);

  private static IpAddress ip(String text) {
    return IpAddress.parse(text).orElseThrow();
  }

  @Test
  void byDefaultNoPeerIsTrusted() {
    assertFalse(ClientAddressRules.PEER_ONLY.trusts(ip("10.0.0.1")));
    assertFalse(ClientAddressRules.PEER_ONLY.trusts(ip("127.0.0.1")));
  }

  @Test
  void onlyPeersInTheTrustedRangesAreTrusted() {
    assertTrue(BEHIND_LB.trusts(ip("10.0.0.1")));
    assertFalse(BEHIND_LB.trusts(ip("192.0.2.1")));
  }

  @Test
  void aSourceWithoutHeadersTrustsNoOneWhateverTheRanges() {
    ClientAddressRules rules =
        new ClientAddressRules(
            Source.PEER, "X-Forwarded-For", CidrSet.parseList("0.0.0.0/0"), false);
    assertFalse(rules.trusts(ip("10.0.0.1")));
  }

  @Test
  void theClientIsTheLastUntrustedElement() {
    // The client wrote "1.1.1.1" itself; 203.0.113.9 is what the trusted balancer saw.
    assertEquals(
        ip("203.0.113.9"),
        BEHIND_LB.clientBehind(ip("10.0.0.1"), List.of("1.1.1.1, 203.0.113.9, 10.2.2.2")));
  }

  @Test
  void linesOfARepeatedHeaderAreOneList() {
    assertEquals(
        ip("203.0.113.9"),
        BEHIND_LB.clientBehind(ip("10.0.0.1"), List.of("1.1.1.1", "203.0.113.9")));
  }

  @Test
  void whenEveryElementIsTrustedTheFirstIsTheClient() {
    assertEquals(
        ip("10.9.9.9"), BEHIND_LB.clientBehind(ip("10.0.0.1"), List.of("10.9.9.9, 10.8.8.8")));
  }

  @Test
  void aGarbledElementLeavesThePeerAsTheClient() {
    assertEquals(
        ip("10.0.0.1"), BEHIND_LB.clientBehind(ip("10.0.0.1"), List.of("1.1.1.1, unknown")));
    assertEquals(ip("10.0.0.1"), BEHIND_LB.clientBehind(ip("10.0.0.1"), List.of()));
  }

  @Test
  void emptyElementsAreSkippedAndPortsDropped() {
    assertEquals(
        ip("2001:db8::7"),
        BEHIND_LB.clientBehind(ip("10.0.0.1"), List.of(" , [2001:db8::7]:443 ,,")));
  }

  @Test
  void theHeaderIsANameReadCaseInsensitively() {
    ClientAddressRules rules =
        new ClientAddressRules(Source.REAL_IP_HEADER, "CF-Connecting-IP", CidrSet.EMPTY, false);
    assertEquals("cf-connecting-ip", rules.header());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ClientAddressRules(Source.REAL_IP_HEADER, "X Bad", CidrSet.EMPTY, false));
    assertTrue(bad.getMessage().contains("header: \"X Bad\""), bad.getMessage());
  }
}
