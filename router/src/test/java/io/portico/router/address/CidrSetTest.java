package io.portico.router.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrSetTest {

  private static IpAddress ip(String text) {
    return IpAddress.parse(text).orElseThrow();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.0/8|10.255.255.255|true",
        "10.0.0.0/8|11.0.0.0|false",
        "10.0.0.0/8|9.255.255.255|false",
        "10.1.2.3/8|10.9.9.9|true",
        "192.0.2.1|192.0.2.1|true",
        "192.0.2.1|192.0.2.2|false",
        "0.0.0.0/0|203.0.113.7|true",
        "0.0.0.0/0|2001:db8::1|false",
        "::/0|2001:db8::1|true",
        "::/0|192.0.2.1|false",
        "2001:db8::/32|2001:db8:ffff::1|true",
        "2001:db8::/32|2001:db9::1|false",
        "2001:db8::/127|2001:db8::1|true",
        "2001:db8::/127|2001:db8::2|false",
        "2001:db8::/64|2001:db8:0:0:ffff:ffff:ffff:ffff|true",
        "2001:db8::/64|2001:db8:0:1::|false",
        "::ffff:10.0.0.0/104|10.1.1.1|true",
        "::ffff:10.0.0.0/104|11.1.1.1|false",
        "10.0.0.0/8,192.168.0.0/16,2001:db8::/32|192.168.4.4|true",
        "10.0.0.0/8,192.168.0.0/16,2001:db8::/32|172.16.0.1|false",
      })
  void matchesAddressesInItsBlocks(String blocks, String address, boolean inside) {
    assertEquals(inside, CidrSet.parseList(blocks).contains(ip(address)));
  }

  @Test
  void mergesOverlappingAndAdjacentBlocks() {
    CidrSet set = CidrSet.parseList("10.0.0.0/9, 10.128.0.0/9,10.5.0.0/16");
    assertTrue(set.contains(ip("10.0.0.0")));
    assertTrue(set.contains(ip("10.200.0.1")));
    assertFalse(set.contains(ip("11.0.0.0")));
    assertEquals(List.of("10.0.0.0/9", "10.128.0.0/9", "10.5.0.0/16"), set.blocks());
  }

  @Test
  void manyBlocksStillMatchExactly() {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < 256; i += 2) {
      list.append("172.16.").append(i).append(".0/24,");
    }
    CidrSet set = CidrSet.parseList(list.toString());
    for (int i = 0; i < 256; i++) {
      assertEquals(i % 2 == 0, set.contains(ip("172.16." + i + ".9")), "172.16." + i + ".9");
    }
  }

  @Test
  void normalisesBlocksSoEqualListsGiveEqualSets() {
    assertEquals(
        CidrSet.parse(List.of("192.0.2.1/32", "10.0.0.0/8")),
        CidrSet.parseList("10.1.2.3/8, 192.0.2.1"));
  }

  @Test
  void emptyItemsAreSkippedAndNothingMatchesTheEmptySet() {
    assertEquals(CidrSet.EMPTY, CidrSet.parseList(" , "));
    assertFalse(CidrSet.EMPTY.contains(ip("10.0.0.1")));
    assertFalse(CidrSet.EMPTY.contains(null));
  }

  @Test
  void refusesWhatIsNotABlockNamingIt() {
    IllegalArgumentException wide =
        assertThrows(
            IllegalArgumentException.class, () -> CidrSet.parseList("10.0.0.0/8, 10.0.0.0/33"));
    assertTrue(wide.getMessage().contains("\"10.0.0.0/33\""), wide.getMessage());
    IllegalArgumentException name =
        assertThrows(IllegalArgumentException.class, () -> CidrSet.parseList("example.com"));
    assertTrue(name.getMessage().contains("\"example.com\""), name.getMessage());
    assertFalse(CidrSet.isValid("10.0.0.0/"));
    assertFalse(CidrSet.isValid("2001:db8::/129"));
  }
}
