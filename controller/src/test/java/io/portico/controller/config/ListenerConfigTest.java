package io.portico.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The listener options the ConfigMap's keys give, and the Go durations they are written in. */
class ListenerConfigTest {

  private final List<ConfigFinding> findings = new ArrayList<>();

  private ProxySettings apply(Map<String, String> data) {
    return ListenerConfig.apply(
        ProxySettings.defaults("127.0.0.1", 0), ControllerConfig.read(data, findings::add));
  }

  @Test
  void theDefaultsAreIngressNginxs() {
    ProxySettings settings = apply(Map.of());
    assertFalse(settings.proxyProtocol());
    assertEquals(Duration.ofSeconds(5), settings.proxyProtocolTimeout());
    assertEquals(8 * 1024, settings.maxInitialLineLength());
    assertEquals(32 * 1024, settings.maxHeaderSize());
  }

  @Test
  void theProxyProtocolAndItsHeaderTimeoutReachTheListeners() {
    ProxySettings settings =
        apply(Map.of("use-proxy-protocol", "true", "proxy-protocol-header-timeout", "1m30s"));
    assertTrue(settings.proxyProtocol());
    assertEquals(Duration.ofSeconds(90), settings.proxyProtocolTimeout());
    assertTrue(findings.isEmpty(), findings.toString());
  }

  @Test
  void enableOcspTurnsStaplingOnForTheHttpsListenerOnly() {
    HttpsSettings defaults = HttpsSettings.defaults(0);
    assertFalse(
        ListenerConfig.apply(defaults, ControllerConfig.read(Map.of(), findings::add))
            .ocspStapling());
    HttpsSettings on =
        ListenerConfig.apply(
            defaults, ControllerConfig.read(Map.of("enable-ocsp", "true"), findings::add));
    assertTrue(on.ocspStapling());
    assertEquals(defaults.withOcspStapling(true), on);
    assertTrue(findings.isEmpty(), findings.toString());
  }

  @Test
  void aTimeoutThatDoesNotReadIsAWarningAndTheDefaultApplies() {
    ProxySettings settings = apply(Map.of("proxy-protocol-header-timeout", "5"));
    assertEquals(Duration.ofSeconds(5), settings.proxyProtocolTimeout());
    assertEquals(1, findings.size(), findings.toString());
    assertEquals("proxy-protocol-header-timeout", findings.get(0).key(), findings.toString());
  }

  @Test
  void goDurationsReadAsGoReadsThem() {
    assertEquals(Optional.of(Duration.ofSeconds(5)), ConfigKey.readGoDuration("5s"));
    assertEquals(Optional.of(Duration.ofMillis(500)), ConfigKey.readGoDuration("500ms"));
    assertEquals(Optional.of(Duration.ofMinutes(61)), ConfigKey.readGoDuration("1h1m"));
    for (String bad : new String[] {"", "5", "s", "0s", "5 s", "-5s", "5x", "1.5s", "5s5"}) {
      assertTrue(ConfigKey.readGoDuration(bad).isEmpty(), bad);
    }
  }
}
