package io.portico.router.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

  private static String text(Optional<IpAddress> parsed) {
    return parsed.map(IpAddress::toString).orElse("(none)");
  }

  @ParameterizedTest
  @CsvSource({
    "192.0.2.1, 192.0.2.1",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "2001:db8::1, 2001:db8::1",
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "::, ::",
    "::1, ::1",
    "::ffff:192.0.2.1, 192.0.2.1",
    "::ffff:c000:0201, 192.0.2.1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "64:ff9b::192.0.2.1, 64:ff9b::c000:201",
  })
  void parsesLiteralsToTheirCanonicalText(String text, String canonical) {
    assertEquals(canonical, text(IpAddress.parse(text)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "192.0.2",
        "192.0.2.1.5",
        "192.0.2.256",
        "192.0.02.1",
        "192.0.2.1 ",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "12345::",
        ":1::",
        "1:",
        "[::1]",
        "192.0.2.1:80",
        "fe80::1%eth0",
        "0x7f.0.0.1",
      })
  void refusesWhatIsNotAnIpLiteral(String text) {
    assertTrue(IpAddress.parse(text).isEmpty(), text);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "192.0.2.1|192.0.2.1",
        " 192.0.2.1 |192.0.2.1",
        "192.0.2.1:4711|192.0.2.1",
        "[2001:db8::1]:4711|2001:db8::1",
        "[2001:db8::1]|2001:db8::1",
        "2001:db8::1|2001:db8::1",
      },
      ignoreLeadingAndTrailingWhitespace = false)
  void readsForwardedElementsWithPorts(String element, String address) {
    assertEquals(address, text(IpAddress.parseForwarded(element)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"unknown", "_hidden", "192.0.2.1:", "192.0.2.1:http", "[::1", "[::1]x"})
  void refusesForwardedElementsThatAreNotAddresses(String element) {
    assertTrue(IpAddress.parseForwarded(element).isEmpty(), element);
  }

  @Test
  void readsAPeerWithAZone() {
    assertEquals("fe80::1", text(IpAddress.parsePeer("fe80::1%eth0")));
  }

  @Test
  void aMappedAddressEqualsItsIpv4Address() {
    assertEquals(IpAddress.parse("10.0.0.1"), IpAddress.parse("::ffff:10.0.0.1"));
  }
}
