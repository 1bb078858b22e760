package io.portico.router.policy.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portico.router.address.CidrSet;
import io.portico.router.address.ClientAddress;
import io.portico.router.address.IpAddress;
import io.portico.router.policy.ListenerFacts;
import io.portico.router.policy.MirrorPolicy;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class LocalConnectionLimitPolicyTest {

  private static final ClientConnectionLimit ONE =
      new ClientConnectionLimit("default/app", 1, CidrSet.parse(List.of("10.9.0.0/16")), 429);

  /** A request from {@code client} (or from no address). */
  private record Request(ClientAddress client) implements PolicyRequest {
    static Request from(@Nullable String address) {
      return new Request(
          address == null
              ? ClientAddress.UNKNOWN
              : ClientAddress.direct(IpAddress.parse(address).orElseThrow()));
    }

    @Override
    public String method() {
      return "GET";
    }

    @Override
    public @Nullable String host() {
      return "app.test";
    }

    @Override
    public @Nullable String authority() {
      return "app.test";
    }

    @Override
    public String path() {
      return "/";
    }

    @Override
    public String pathAndQuery() {
      return "/";
    }

    @Override
    public @Nullable String query() {
      return null;
    }

    @Override
    public @Nullable String header(String name) {
      return null;
    }

    @Override
    public List<String> headers(String name) {
      return List.of();
    }

    @Override
    public ListenerFacts listener() {
      return new ListenerFacts(false, 443, false);
    }
  }

  /** Records the decision and what is to run at the end; {@code ends} false cannot tell the end. */
  private static final class Exchange implements PolicyExchange {
    final boolean ends;
    final List<Runnable> atEnd = new ArrayList<>();
    boolean proceeded;
    @Nullable PolicyAnswer answer;

    Exchange(boolean ends) {
      this.ends = ends;
    }

    void end() {
      atEnd.forEach(Runnable::run);
    }

    @Override
    public void proceed() {
      proceeded = true;
    }

    @Override
    public void answer(PolicyAnswer given) {
      answer = given;
    }

    @Override
    public void onEnd(Runnable release) {
      if (!ends) {
        PolicyExchange.super.onEnd(release);
      }
      atEnd.add(release);
    }

    @Override
    public void useBackend(int index) {}

    @Override
    public void mirror(MirrorPolicy copy) {}

    @Override
    public void upstreamUri(String pathAndQuery) {}

    @Override
    public void upstreamAuthority(String authority) {}

    @Override
    public void setUpstreamHeader(String name, String value) {}

    @Override
    public void removeUpstreamHeader(String name) {}

    @Override
    public void setResponseHeader(String name, String value) {}

    @Override
    public void addResponseHeader(String name, String value) {}
  }

  @Test
  void overTheLimitAnswersWithItsStatusAndTheEndReleases() {
    ClientConnections connections = new ClientConnections(10);
    LocalConnectionLimitPolicy policy = new LocalConnectionLimitPolicy(ONE, connections);
    Exchange first = new Exchange(true);
    policy.apply(Request.from("10.0.0.1"), first);
    assertEquals(true, first.proceeded);

    Exchange second = new Exchange(true);
    policy.apply(Request.from("10.0.0.1"), second);
    assertEquals(429, second.answer == null ? 0 : second.answer.status());
    assertEquals(List.of(), second.atEnd, "a refused request holds nothing");

    first.end();
    assertEquals(0, connections.size());
    Exchange third = new Exchange(true);
    policy.apply(Request.from("10.0.0.1"), third);
    assertEquals(true, third.proceeded);
  }

  @Test
  void theAllowlistAndRequestsWithoutAnAddressAreNotCounted() {
    ClientConnections connections = new ClientConnections(10);
    LocalConnectionLimitPolicy policy = new LocalConnectionLimitPolicy(ONE, connections);
    for (String from : new String[] {"10.9.1.1", "10.9.1.1", null, null}) {
      Exchange exchange = new Exchange(true);
      policy.apply(Request.from(from), exchange);
      assertEquals(true, exchange.proceeded, String.valueOf(from));
      assertNull(exchange.answer);
    }
    assertEquals(0, connections.size());
  }

  /** An exchange that cannot say when it ends fails the request, and the count is given back. */
  @Test
  void anExchangeWithoutAnEndFailsClosedAndKeepsNoCount() {
    ClientConnections connections = new ClientConnections(10);
    LocalConnectionLimitPolicy policy = new LocalConnectionLimitPolicy(ONE, connections);
    Exchange exchange = new Exchange(false);
    assertThrows(
        UnsupportedOperationException.class,
        () -> policy.apply(Request.from("10.0.0.1"), exchange));
    assertEquals(false, exchange.proceeded);
    assertEquals(0, connections.size());
  }
}
