package io.portico.controller.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portico.controller.snapshot.ObjectKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenerPortsTest {

  private static final ObjectKey GATEWAY = new ObjectKey("infra", "gw");

  @Test
  void entriesAddToTheDefaultsAndQualifiedOnesComeFirst() {
    ListenerPorts ports =
        ListenerPorts.parse(List.of("8080=18080", "80=18000", "infra/gw:80=19000"));

    assertEquals(Optional.of(new LocalPort.Opened(18080)), ports.localFor(GATEWAY, 8080));
    assertEquals(Optional.of(LocalPort.HTTPS), ports.localFor(GATEWAY, 443));
    assertEquals(Optional.of(new LocalPort.Opened(19000)), ports.localFor(GATEWAY, 80));
    assertEquals(
        Optional.of(new LocalPort.Opened(18000)),
        ports.localFor(new ObjectKey("infra", "other"), 80));
    assertEquals(Optional.empty(), ports.localFor(GATEWAY, 9999));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"8080", "8080=", "=80", "0=80", "80=70000", "gw:80=1", "a/b/c:80=1", "x=1"})
  void malformedEntriesAreRefusedNamingThem(String entry) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ListenerPorts.parse(List.of(entry)));
    assertEquals(
        "--gateway-listener-ports: "
            + entry
            + " (expected: PORT=LOCAL or NAMESPACE/NAME:PORT=LOCAL, ports 1 to 65535, LOCAL 0 to"
            + " 65535)",
        e.getMessage());
  }
}
