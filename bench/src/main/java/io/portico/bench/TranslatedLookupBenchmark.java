package io.portico.bench;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.translate.TlsInputs;
import io.portico.controller.translate.Translator;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.balance.AffinityKey;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.ListenerKey;
import io.portico.router.route.RequestAttributes;
import io.portico.router.route.RequestPaths;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTarget;
import java.time.Clock;
import java.time.Instant;
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
 * The route lookup of the HTTP listener, as {@code ProxyHandler} does it, on the table the
 * translator builds from the benchmark workload: {@code ingresses} bulk Ingresses and {@code
 * routes} bulk HTTPRoutes on one Gateway ({@link Workload}). {@code ingressHit} asks for a bulk
 * Ingress's host, {@code routeHit} for a bulk HTTPRoute's; each invocation takes the next of 4,096
 * requests spread over every host. With {@code routes=0} the table has no Gateway API rules, as
 * before the Gateway API, so {@code ingressHit} there is the baseline for the mixed table, and
 * {@code routeHit} asks for hosts nothing serves (the lookup behind a 404).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx2g"})
@State(Scope.Thread)
public class TranslatedLookupBenchmark {

  private static final int REQUESTS = 4096;

  /** A plain GET without headers or query, for the Gateway API matches. */
  private static final RequestAttributes GET =
      new RequestAttributes() {
        @Override
        public String method() {
          return "GET";
        }

        @Override
        public @Nullable String header(String name) {
          return null;
        }

        @Override
        public @Nullable String queryParameter(String name) {
          return null;
        }
      };

  @Param({"5000"})
  public int ingresses;

  @Param({"0", "5000"})
  public int routes;

  private RouteTable table;
  private String[][] ingressHits;
  private String[][] routeHits;
  private int next;

  @Setup
  public void setUp() {
    String workload =
        Workload.bulk(ingresses)
            + (routes > 0 ? Workload.gateway() + Workload.bulkRoutes(routes) : "");
    Translator translator =
        new Translator(
            TranslatorSettings.defaults(),
            Clock.systemUTC(),
            AffinityKey.builtIn(),
            TlsInputs.generated(Instant.now()));
    table = translator.translate(ClusterSnapshot.of(Workload.objects(workload))).routes();
    Random random = new Random(42);
    ingressHits = new String[REQUESTS][];
    routeHits = new String[REQUESTS][];
    for (int i = 0; i < REQUESTS; i++) {
      ingressHits[i] = request(Workload.bulkHost(random.nextInt(ingresses)), random);
      routeHits[i] =
          request(Workload.bulkRouteHost(random.nextInt(routes > 0 ? routes : ingresses)), random);
    }
    for (String[] request : ingressHits) {
      expectHit(request);
    }
    if (routes > 0) {
      for (String[] request : routeHits) {
        expectHit(request);
      }
    }
  }

  private static String[] request(String host, Random random) {
    return new String[] {host, random.nextBoolean() ? "/b/c" : "/a/items/42"};
  }

  private void expectHit(String[] request) {
    if (lookup(request) == null) {
      throw new IllegalStateException("expected a hit: " + String.join(" ", request));
    }
  }

  private @Nullable RouteTarget lookup(String[] request) {
    String host = HostnamePattern.normalizeRequestHost(request[0]);
    String path = requireNonNull(RequestPaths.normalize(request[1]), "path");
    return table.match(ListenerKey.HTTP, host, path, GET);
  }

  private String[] nextOf(String[][] requests) {
    int i = next;
    next = (i + 1) & (REQUESTS - 1);
    return requests[i];
  }

  @Benchmark
  public @Nullable RouteTarget ingressHit() {
    return lookup(nextOf(ingressHits));
  }

  @Benchmark
  public @Nullable RouteTarget routeHit() {
    return lookup(nextOf(routeHits));
  }
}
