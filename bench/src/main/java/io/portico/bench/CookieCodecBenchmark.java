package io.portico.bench;

import io.portico.router.balance.AffinityKey;
import io.portico.router.balance.AffinityMode;
import io.portico.router.balance.CookieAffinity;
import io.portico.router.balance.StickyIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The session-affinity cookie on the request path, through the public {@link StickyIndex}: reading
 * a valid cookie in each mode, rejecting a stale one (another key's), issuing a new balanced
 * session, and building the index itself (HMACs, once per backend per translation).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CookieCodecBenchmark {

  @Param({"4", "100"})
  public int endpoints;

  private List<String> identities;
  private StickyIndex persistent;
  private StickyIndex balanced;
  private String persistentCookie;
  private String balancedCookie;
  private String staleCookie;

  private static CookieAffinity affinity(AffinityMode mode) {
    return new CookieAffinity(
        mode,
        CookieAffinity.DEFAULT_NAME,
        Optional.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        Optional.empty(),
        false,
        false,
        Optional.empty(),
        false);
  }

  @Setup
  public void setUp() {
    identities = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      identities.add("pod-uid-" + i);
    }
    AffinityKey key = AffinityKey.of(new byte[32]);
    String scope = "default/app:http";
    persistent =
        new StickyIndex(key, scope, affinity(AffinityMode.PERSISTENT), identities, endpoints);
    balanced = new StickyIndex(key, scope, affinity(AffinityMode.BALANCED), identities, endpoints);
    persistentCookie = persistent.persistentValue(endpoints / 2);
    balancedCookie = balanced.balancedValue(balanced.newSession(StickyIndex.NONE));
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    staleCookie =
        new StickyIndex(
                AffinityKey.of(otherKey),
                scope,
                affinity(AffinityMode.PERSISTENT),
                identities,
                endpoints)
            .persistentValue(0);
    if (persistent.match(persistentCookie, 0, persistentCookie.length()) != endpoints / 2
        || balanced.match(balancedCookie, 0, balancedCookie.length()) == StickyIndex.NONE
        || persistent.match(staleCookie, 0, staleCookie.length()) != StickyIndex.NONE) {
      throw new IllegalStateException("cookie values do not round-trip");
    }
  }

  @Benchmark
  public int matchPersistent() {
    return persistent.match(persistentCookie, 0, persistentCookie.length());
  }

  @Benchmark
  public int matchBalanced() {
    return balanced.match(balancedCookie, 0, balancedCookie.length());
  }

  @Benchmark
  public int rejectStale() {
    return persistent.match(staleCookie, 0, staleCookie.length());
  }

  @Benchmark
  public String newBalancedSession() {
    return balanced.balancedValue(balanced.newSession(StickyIndex.NONE));
  }

  @Benchmark
  public StickyIndex buildIndex() {
    return new StickyIndex(
        AffinityKey.builtIn(),
        "default/app:http",
        affinity(AffinityMode.PERSISTENT),
        identities,
        endpoints);
  }
}
