package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.testing.TestVertx;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The warm-up sends real traffic through a proxy of its own and leaves nothing behind. */
class WarmUpTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();

  @Test
  void answersEveryRequestOverHttpAndHttpsAndStopsAtTheDeadline() throws Exception {
    WarmUp.Result result =
        await(
            WarmUp.run(
                vertx.vertx(),
                ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1),
                HttpsSettings.defaults(0),
                Duration.ofMillis(500)));
    assertNull(result.firstError());
    assertEquals(0, result.failures());
    assertTrue(result.requests() > 0, "requests: " + result.requests());
    assertTrue(result.took().compareTo(Duration.ofMillis(500)) >= 0, "took: " + result.took());
  }

  @Test
  void bindsLoopbackPortsOfItsOwnWithoutProxyProtocolAndUndeploysAfter() throws Exception {
    // A PROXY-protocol listener would refuse the warm-up's plain requests: the warm-up turns it
    // off, as it does for the address.
    ProxySettings real =
        ProxySettings.defaults("0.0.0.0", 8080).withEventLoops(1).withProxyProtocol(true);
    WarmUp.Result result = await(WarmUp.run(vertx.vertx(), real, null, Duration.ofMillis(200)));
    assertNull(result.firstError());
    assertTrue(result.requests() > 0, "requests: " + result.requests());
    assertEquals(0, vertx.vertx().deploymentIDs().size(), "the warm-up's verticles are gone");
  }
}
