package io.portico.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which resolved addresses an ExternalName Service may send Portico to. */
class UpstreamAddressGuardTest {

  private final UpstreamAddressGuard guard =
      new UpstreamAddressGuard(Set.of(address("10.1.2.3"), address("fd12::3")));

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "127.0.0.1, loopback",
    "127.255.0.9, loopback",
    "::1, loopback",
    "::ffff:127.0.0.1, loopback",
    "::127.0.0.1, loopback",
    "0.0.0.0, unspecified",
    "0.1.2.3, unspecified",
    "::, unspecified",
    "169.254.169.254, link-local",
    "::ffff:169.254.169.254, link-local",
    "fe80::1, link-local",
    "224.0.0.1, multicast",
    "255.255.255.255, multicast",
    "ff02::1, multicast",
    "fd00:ec2::254, cloud-metadata",
    "100.100.100.200, cloud-metadata",
    "10.1.2.3, portico-own",
    "::ffff:10.1.2.3, portico-own",
    "fd12::3, portico-own",
  })
  void refuses(String literal, String reason) {
    assertEquals(reason, guard.refusal(address(literal)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"10.1.2.4", "192.168.0.10", "172.16.5.5", "203.0.113.7", "2001:db8::1", "fd12::4"})
  void allowsTheRestOfTheNetwork(String literal) {
    assertNull(guard.refusal(address(literal)));
  }

  private static InetAddress address(String literal) {
    return NetUtil.createInetAddressFromIpAddressString(literal);
  }
}
