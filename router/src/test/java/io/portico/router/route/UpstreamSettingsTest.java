package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class UpstreamSettingsTest {

  @Test
  void equalSettingsAreOneInstanceAndTheDefaultIsTheDefault() {
    UpstreamSettings a = UpstreamSettings.DEFAULT.withMaxBodyBytes(1 << 20);
    UpstreamSettings b = UpstreamSettings.DEFAULT.withMaxBodyBytes(1 << 20);
    assertSame(UpstreamSettings.of(a), UpstreamSettings.of(b));
    assertSame(
        UpstreamSettings.DEFAULT,
        UpstreamSettings.of(UpstreamSettings.DEFAULT.withTimeouts(0, 0, 0)));
  }

  @Test
  void onlyPlainHttp11WithPorticosHeadersTakesTheEventLoopsPool() {
    assertTrue(UpstreamSettings.DEFAULT.pooled());
    assertFalse(
        UpstreamSettings.DEFAULT.withProtocol(BackendProtocol.GRPC, BackendTls.DEFAULT).pooled());
    assertFalse(UpstreamSettings.DEFAULT.withHttpVersion(true, "").pooled());
    assertThrows(
        IllegalArgumentException.class,
        () -> UpstreamSettings.DEFAULT.withHttpVersion(false, "close\r\nx: y"));
  }

  @Test
  void retriesFollowTheirConditionsAndTries() {
    RetryPolicy policy = new RetryPolicy(Set.of(RetryPolicy.Condition.HTTP_503), 2, 0);
    assertTrue(policy.onStatus(503));
    assertFalse(policy.onStatus(502));
    assertTrue(policy.allowsAnother(1));
    assertFalse(policy.allowsAnother(2));
    assertFalse(RetryPolicy.OFF.allowsAnother(1));
  }
}
