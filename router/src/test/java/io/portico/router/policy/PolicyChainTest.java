package io.portico.router.policy;

import static io.portico.router.policy.TestPolicies.Named.proceeding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.policy.TestPolicies.Head;
import io.portico.router.policy.TestPolicies.Named;
import io.portico.router.policy.TestPolicies.Request;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PolicyChainTest {

  /**
   * An outcome that records what happened; steps handed to {@link #execute} wait in a queue, as on
   * an event loop busy with something else, until {@link #runQueued}.
   */
  private static final class Recorder implements PolicyChain.Outcome {
    final List<String> events = new ArrayList<>();
    final Queue<Runnable> queued = new ArrayDeque<>();
    PolicyAnswer answer;

    @Override
    public void proceeded(PolicyChain chain) {
      events.add("upstream");
    }

    @Override
    public void answered(PolicyChain chain, PolicyAnswer given) {
      events.add("answered " + given.status());
      answer = given;
    }

    @Override
    public void failed(RequestPolicy policy, RuntimeException error) {
      events.add("failed " + policy + ": " + error.getMessage());
    }

    @Override
    public void execute(Runnable step) {
      queued.add(step);
    }

    void runQueued() {
      Runnable step;
      while ((step = queued.poll()) != null) {
        step.run();
      }
    }
  }

  private final Recorder outcome = new Recorder();
  private final List<String> ran = new ArrayList<>();

  private Named logging(String name, PolicyPhase phase) {
    return new Named(
        name,
        phase,
        (request, exchange) -> {
          ran.add(name);
          exchange.proceed();
        });
  }

  private PolicyChain chain(RequestPolicy... policies) {
    return new PolicyChain(RoutePolicies.of(policies), Request.plain("app.test", "/x"), outcome);
  }

  @Test
  void everyPolicyInPhaseOrderThenUpstream() {
    PolicyChain chain =
        chain(
            logging("headers", PolicyPhase.HEADERS),
            logging("access", PolicyPhase.ACCESS),
            logging("rewrite", PolicyPhase.REWRITE));
    chain.start();
    assertEquals(List.of("access", "rewrite", "headers"), ran);
    assertEquals(List.of("upstream"), outcome.events);
    assertTrue(chain.done());
    assertNull(chain.upstreamChanges(), "nothing changed, nothing to apply");
    assertNull(chain.responseHeaders());
  }

  @Test
  void anAnswerEndsTheChain() {
    PolicyChain chain =
        chain(
            logging("headers", PolicyPhase.HEADERS),
            new Named(
                "deny",
                PolicyPhase.ACCESS,
                (request, exchange) -> exchange.answer(PolicyAnswer.of(403))),
            logging("redirect", PolicyPhase.REDIRECT));
    chain.start();
    assertEquals(List.of(), ran, "no policy after the answer runs");
    assertEquals(List.of("answered 403"), outcome.events);
    assertTrue(chain.done());
  }

  @Test
  void aPolicyMayContinueLaterFromAnotherThread() throws Exception {
    AtomicReference<PolicyExchange> parked = new AtomicReference<>();
    PolicyChain chain =
        chain(
            new Named(
                "auth", PolicyPhase.AUTHENTICATION, (request, exchange) -> parked.set(exchange)),
            logging("headers", PolicyPhase.HEADERS));
    chain.start();
    assertFalse(chain.done());
    assertEquals(List.of(), outcome.events, "the request waits for the decision");
    assertEquals(List.of(), ran);

    Thread elsewhere =
        new Thread(
            () -> {
              parked.get().setUpstreamHeader("x-user", "alice");
              parked.get().proceed();
            });
    elsewhere.start();
    elsewhere.join();
    assertEquals(
        List.of(), ran, "the chain goes on on the request's loop, not the caller's thread");
    assertEquals(1, outcome.queued.size());

    outcome.runQueued();
    assertEquals(List.of("headers"), ran);
    assertEquals(List.of("upstream"), outcome.events);
    assertTrue(chain.done());
    Map<String, String> upstream = new LinkedHashMap<>();
    chain.upstreamChanges().headers().applyTo(new Head(0, upstream));
    assertEquals(Map.of("x-user", "alice"), upstream);
  }

  @Test
  void aPolicyMayAnswerLater() {
    AtomicReference<PolicyExchange> parked = new AtomicReference<>();
    PolicyChain chain =
        chain(
            new Named(
                "auth", PolicyPhase.AUTHENTICATION, (request, exchange) -> parked.set(exchange)),
            logging("headers", PolicyPhase.HEADERS));
    chain.start();
    parked.get().answer(new PolicyAnswer(401, List.of(), "who are you?\n"));
    outcome.runQueued();
    assertEquals(List.of("answered 401"), outcome.events);
    assertEquals("who are you?\n", outcome.answer.body());
    assertEquals(List.of(), ran);
  }

  @Test
  void responseHeadersAddedBeforeAnAnswerGoWithIt() {
    PolicyChain chain =
        chain(
            new Named(
                "cors",
                PolicyPhase.ACCESS,
                (request, exchange) -> {
                  exchange.addResponseHeader("vary", "origin");
                  exchange.proceed();
                }),
            new Named(
                "preflight",
                PolicyPhase.REDIRECT,
                (request, exchange) -> {
                  exchange.setResponseHeader("access-control-allow-origin", "*");
                  exchange.answer(PolicyAnswer.of(204));
                }));
    chain.start();
    assertEquals(List.of("answered 204"), outcome.events);
    Map<String, String> head = new LinkedHashMap<>(Map.of("vary", "accept"));
    chain.responseHeaders().applyTo(new Head(204, head));
    assertEquals(Map.of("vary", "accept, origin", "access-control-allow-origin", "*"), head);
  }

  @Test
  void aLongChainOfImmediateDecisionsDoesNotRecurse() {
    List<RequestPolicy> many = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      many.add(proceeding("p" + i, PolicyPhase.HEADERS));
    }
    new PolicyChain(RoutePolicies.of(many), Request.plain("app.test", "/"), outcome).start();
    assertEquals(List.of("upstream"), outcome.events);
  }

  @Test
  void aPolicyThatThrowsFailsTheRequestClosed() {
    chain(
            new Named(
                "broken",
                PolicyPhase.ACCESS,
                (request, exchange) -> {
                  throw new IllegalStateException("boom");
                }),
            logging("headers", PolicyPhase.HEADERS))
        .start();
    assertEquals(List.of("failed broken: boom"), outcome.events);
    assertEquals(List.of(), ran);
  }

  @Test
  void aSecondDecisionIsABug() {
    AtomicReference<PolicyExchange> parked = new AtomicReference<>();
    chain(
            new Named(
                "twice",
                PolicyPhase.ACCESS,
                (request, exchange) -> {
                  parked.set(exchange);
                  exchange.proceed();
                }))
        .start();
    assertEquals(List.of("upstream"), outcome.events);
    assertThrows(IllegalStateException.class, () -> parked.get().proceed());
    assertThrows(IllegalStateException.class, () -> parked.get().answer(PolicyAnswer.of(403)));
    assertThrows(IllegalStateException.class, () -> parked.get().setResponseHeader("x-late", "1"));
    assertEquals(List.of("upstream"), outcome.events);
  }

  @Test
  void upstreamChangesAreCheckedWhenMade() {
    List<Class<? extends Throwable>> thrown = new ArrayList<>();
    PolicyChain chain =
        chain(
            new Named(
                "rewrite",
                PolicyPhase.REWRITE,
                (request, exchange) -> {
                  for (Runnable bad :
                      List.<Runnable>of(
                          () -> exchange.upstreamUri("no-slash"),
                          () -> exchange.upstreamUri("/a b"),
                          () -> exchange.upstreamAuthority("a.test/x"),
                          () -> exchange.upstreamAuthority("a.test:70000"),
                          () -> exchange.setUpstreamHeader("host", "a.test"),
                          () -> exchange.setUpstreamHeader("x-a", "1\r\nx-b: 2"),
                          () -> exchange.setUpstreamHeader("bad name", "1"))) {
                    try {
                      bad.run();
                    } catch (IllegalArgumentException e) {
                      thrown.add(e.getClass());
                    }
                  }
                  exchange.upstreamUri("/rewritten?q=1");
                  exchange.upstreamAuthority("[::1]:8080");
                  exchange.removeUpstreamHeader("x-secret");
                  exchange.proceed();
                }));
    chain.start();
    assertEquals(7, thrown.size(), "every bad change is refused");
    UpstreamChanges changes = chain.upstreamChanges();
    assertEquals("/rewritten?q=1", changes.uri());
    assertEquals("[::1]:8080", changes.authority());
    Map<String, String> headers = new LinkedHashMap<>(Map.of("x-secret", "s", "x-kept", "k"));
    changes.headers().applyTo(new Head(0, headers));
    assertEquals(Map.of("x-kept", "k"), headers);
  }
}
