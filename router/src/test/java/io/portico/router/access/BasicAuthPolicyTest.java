package io.portico.router.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portico.router.address.ClientAddress;
import io.portico.router.policy.ListenerFacts;
import io.portico.router.policy.MirrorPolicy;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class BasicAuthPolicyTest {

  private static final BasicCredentials USERS =
      BasicCredentials.parseMap(
              Map.of(
                  "carol", "$2y$05$jyxgHN.me5e/eEW3d3j4TOieaC8.WBaNverh/1JToW9R7i7mBzsJW",
                  "alice", "$apr1$U7oixadu$o6TW480cWuwR3ayJ.PIfu."))
          .credentials();

  /** Runs tasks when asked, counting them: stands for the pool off the event loop. */
  private static final class Deferred implements Executor {
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      List<Runnable> now = new ArrayList<>(tasks);
      tasks.clear();
      now.forEach(Runnable::run);
    }
  }

  private static final class Outcome implements PolicyExchange {
    String decision = "pending";
    PolicyAnswer answer;

    @Override
    public void proceed() {
      decision = "proceed";
    }

    @Override
    public void answer(PolicyAnswer given) {
      decision = "answer " + given.status();
      answer = given;
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

  private static PolicyRequest withAuthorization(String value) {
    return new PolicyRequest() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public String host() {
        return "app.test";
      }

      @Override
      public String authority() {
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
      public String query() {
        return null;
      }

      @Override
      public String header(String name) {
        return name.equalsIgnoreCase("authorization") ? value : null;
      }

      @Override
      public List<String> headers(String name) {
        String one = header(name);
        return one == null ? List.of() : List.of(one);
      }

      @Override
      public ClientAddress client() {
        return ClientAddress.UNKNOWN;
      }

      @Override
      public ListenerFacts listener() {
        return new ListenerFacts(false, 443, false);
      }
    };
  }

  private static String basic(String userAndPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void bcryptIsCheckedOffTheCallingThreadAndOncePerCredentials() {
    Deferred pool = new Deferred();
    BasicAuthPolicy policy = new BasicAuthPolicy("Staff", USERS, pool);
    Outcome first = new Outcome();
    policy.apply(withAuthorization(basic("carol:s3cret")), first);
    assertEquals("pending", first.decision);
    assertEquals(1, pool.tasks.size());
    pool.runAll();
    assertEquals("proceed", first.decision);

    Outcome again = new Outcome();
    policy.apply(withAuthorization(basic("carol:s3cret")), again);
    assertEquals("proceed", again.decision);
    assertEquals(0, pool.tasks.size());

    Outcome wrong = new Outcome();
    policy.apply(withAuthorization(basic("carol:s3cret!")), wrong);
    pool.runAll();
    assertEquals("answer 401", wrong.decision);
    assertEquals("Basic realm=\"Staff\"", wrong.answer.headers().get(0).value());
  }

  @Test
  void garbledOrMissingCredentialsAreChallenged() {
    Deferred pool = new Deferred();
    BasicAuthPolicy policy = new BasicAuthPolicy("", USERS, pool);
    for (String header :
        new String[] {null, "Bearer x", "Basic !!!", basic("no-colon"), basic("mallory:x")}) {
      Outcome outcome = new Outcome();
      policy.apply(withAuthorization(header), outcome);
      assertEquals("answer 401", outcome.decision, String.valueOf(header));
    }
    assertEquals(0, pool.tasks.size());
    Outcome apr = new Outcome();
    policy.apply(withAuthorization(basic("alice:wonderland")), apr);
    assertEquals("proceed", apr.decision);
  }

  @Test
  void readsTheBasicHeader() {
    assertArrayEquals(
        new String[] {"user", "pa:ss"}, BasicAuthPolicy.userAndPassword("basic  dXNlcjpwYTpzcw=="));
    assertNull(BasicAuthPolicy.userAndPassword("Basic"));
  }

  @Test
  void theRealmIsQuotedAndControlCharactersRefused() {
    BasicAuthPolicy policy = new BasicAuthPolicy("a \"b\" \\c", USERS, new Deferred());
    Outcome outcome = new Outcome();
    policy.apply(withAuthorization(null), outcome);
    assertEquals("Basic realm=\"a \\\"b\\\" \\\\c\"", outcome.answer.headers().get(0).value());
    assertThrows(IllegalArgumentException.class, () -> new BasicAuthPolicy("a\r\nb", USERS));
  }

  @Test
  void equalRealmAndUsersGiveEqualPolicies() {
    assertEquals(new BasicAuthPolicy("r", USERS), new BasicAuthPolicy("r", USERS));
  }
}
