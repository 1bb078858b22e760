package io.portico.router.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.address.CidrSet;
import io.portico.router.address.IpAddress;
import org.junit.jupiter.api.Test;

class SourceRangePolicyTest {

  private static IpAddress ip(String text) {
    return IpAddress.parse(text).orElseThrow();
  }

  @Test
  void anAllowListAdmitsOnlyItsAddresses() {
    SourceRangePolicy policy =
        new SourceRangePolicy(CidrSet.parseList("10.0.0.0/8, 2001:db8::/32"), CidrSet.EMPTY);
    assertTrue(policy.admits(ip("10.1.2.3")));
    assertTrue(policy.admits(ip("2001:db8::5")));
    assertFalse(policy.admits(ip("192.0.2.1")));
    assertFalse(policy.admits(ip("::ffff:192.0.2.1")));
    assertFalse(policy.admits(null));
  }

  @Test
  void aDenyListRefusesOnlyItsAddressesAndWinsOverTheAllowList() {
    SourceRangePolicy deny = new SourceRangePolicy(CidrSet.EMPTY, CidrSet.parseList("10.0.0.1"));
    assertFalse(deny.admits(ip("10.0.0.1")));
    assertTrue(deny.admits(ip("10.0.0.2")));
    assertTrue(deny.admits(null));
    SourceRangePolicy both =
        new SourceRangePolicy(CidrSet.parseList("10.0.0.0/8"), CidrSet.parseList("10.0.0.1"));
    assertFalse(both.admits(ip("10.0.0.1")));
    assertTrue(both.admits(ip("10.0.0.2")));
  }

  @Test
  void equalListsGiveEqualPolicies() {
    assertEquals(
        new SourceRangePolicy(CidrSet.parseList("10.0.0.0/8,192.0.2.1"), CidrSet.EMPTY),
        new SourceRangePolicy(CidrSet.parseList("192.0.2.1/32, 10.1.0.0/8"), CidrSet.EMPTY));
  }

  @Test
  void aPolicyWithoutRangesIsAMistake() {
    assertThrows(
        IllegalArgumentException.class, () -> new SourceRangePolicy(CidrSet.EMPTY, CidrSet.EMPTY));
  }
}
