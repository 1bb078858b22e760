package io.portico.bench;

import static java.util.Objects.requireNonNull;

import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.RequestPaths;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.route.RouteTarget;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
 * The per-request routing work of {@code ProxyHandler}: normalise host and path, then {@link
 * RouteTable#match}. Each host has 10 paths (5 {@code Prefix}, 5 {@code Exact}); a tenth as many
 * wildcard hosts sit beside the exact ones. Every invocation takes the next of 4,096 pre-built
 * requests spread over all hosts, so larger tables pay their real cache misses instead of hitting
 * one hot entry. The {@code hot*} cases ask for ten hosts only, whatever the table's size, as
 * skewed real traffic does: they show the cost of the lookup itself once its entries are cached.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RouteLookupBenchmark {

  private static final int REQUESTS = 4096;

  @Param({"10", "1000", "10000"})
  public int hosts;

  private RouteTable table;
  private String[][] exactHit;
  private String[][] prefixHit;
  private String[][] wildcardHit;
  private String[][] miss;
  private String[][] hotExactHit;
  private String[][] hotPrefixHit;
  private int next;

  /** A table of {@code hosts} exact hosts and {@code max(1, hosts / 10)} wildcards. */
  public static RouteTable table(int hosts) {
    RouteTableBuilder builder = RouteTable.builder();
    for (int h = 0; h < hosts; h++) {
      addHost(builder, "h" + h + ".bench.test", h);
    }
    for (int w = 0; w < wildcards(hosts); w++) {
      addHost(builder, "*.w" + w + ".bench.test", hosts + w);
    }
    return builder.build();
  }

  private static int wildcards(int hosts) {
    return Math.max(1, hosts / 10);
  }

  private static void addHost(RouteTableBuilder builder, String host, int index) {
    HostnamePattern pattern = HostnamePattern.of(host);
    Backend backend =
        Backend.of(
            new BackendId("default", "svc-" + index, "http"),
            List.of(Endpoint.of("127.16." + (index / 256 % 256) + "." + (index % 256), 8080)));
    RouteOrigin origin = new RouteOrigin("default", "ing-" + index);
    for (int p = 0; p < 5; p++) {
      builder.add(new Route(pattern, PathMatch.prefix("/api/v" + p), backend, origin));
      builder.add(new Route(pattern, PathMatch.exact("/exact/" + p), backend, origin));
    }
  }

  @Setup
  public void setUp() {
    table = table(hosts);
    Random random = new Random(42);
    exactHit = new String[REQUESTS][];
    prefixHit = new String[REQUESTS][];
    wildcardHit = new String[REQUESTS][];
    miss = new String[REQUESTS][];
    hotExactHit = new String[REQUESTS][];
    hotPrefixHit = new String[REQUESTS][];
    for (int i = 0; i < REQUESTS; i++) {
      String host = "h" + random.nextInt(hosts) + ".bench.test";
      exactHit[i] = new String[] {host, "/exact/" + random.nextInt(5)};
      prefixHit[i] = new String[] {host, "/api/v" + random.nextInt(5) + "/users/42"};
      wildcardHit[i] =
          new String[] {
            "x" + i + ".w" + random.nextInt(wildcards(hosts)) + ".bench.test", "/api/v1/items"
          };
      miss[i] = new String[] {"h" + random.nextInt(hosts) + ".other.test", "/api/v1/users"};
      String hotHost = "h" + random.nextInt(Math.min(hosts, 10)) + ".bench.test";
      hotExactHit[i] = new String[] {hotHost, "/exact/" + random.nextInt(5)};
      hotPrefixHit[i] = new String[] {hotHost, "/api/v" + random.nextInt(5) + "/users/42"};
    }
    for (String[][] requests :
        List.of(exactHit, prefixHit, wildcardHit, hotExactHit, hotPrefixHit)) {
      for (String[] request : requests) {
        if (lookup(request) == null) {
          throw new IllegalStateException("expected a hit: " + String.join(" ", request));
        }
      }
    }
    for (String[] request : miss) {
      if (lookup(request) != null) {
        throw new IllegalStateException("expected a miss: " + String.join(" ", request));
      }
    }
  }

  private @Nullable RouteTarget lookup(String[] request) {
    String host = HostnamePattern.normalizeRequestHost(request[0]);
    // The requests are made valid in setUp(): a path that does not normalise is a broken benchmark.
    String path = requireNonNull(RequestPaths.normalize(request[1]), "path");
    return table.match(host, path);
  }

  private String[] nextOf(String[][] requests) {
    int i = next;
    next = (i + 1) & (REQUESTS - 1);
    return requests[i];
  }

  @Benchmark
  public @Nullable RouteTarget exactHit() {
    return lookup(nextOf(exactHit));
  }

  @Benchmark
  public @Nullable RouteTarget prefixHit() {
    return lookup(nextOf(prefixHit));
  }

  @Benchmark
  public @Nullable RouteTarget hotExactHit() {
    return lookup(nextOf(hotExactHit));
  }

  @Benchmark
  public @Nullable RouteTarget hotPrefixHit() {
    return lookup(nextOf(hotPrefixHit));
  }

  @Benchmark
  public @Nullable RouteTarget wildcardHit() {
    return lookup(nextOf(wildcardHit));
  }

  @Benchmark
  public @Nullable RouteTarget miss() {
    return lookup(nextOf(miss));
  }
}
