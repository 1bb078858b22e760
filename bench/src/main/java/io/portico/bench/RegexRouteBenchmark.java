package io.portico.bench;

import static java.util.Objects.requireNonNull;

import io.portico.router.address.ClientAddress;
import io.portico.router.address.IpAddress;
import io.portico.router.policy.ListenerFacts;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyChain;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.RewriteTemplate;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.UpstreamChanges;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.PathMatch;
import io.portico.router.route.RequestPaths;
import io.portico.router.route.RewritePolicy;
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
 * The routing work of ingress-nginx's regex annotations, next to a plain host in the same table: a
 * host of {@code paths} {@code Prefix} rules ({@code /svc<i>/api}), a host of {@code paths}
 * regular-expression rules ({@code /svc<i>/v[0-9]+/(.*)}, as {@code use-regex} makes them), and a
 * host with one {@code rewrite-target} rule ({@code /app(/|$)(.*)} to {@code /$2}). Each case
 * normalises host and path and looks the rule up, as {@code ProxyHandler} does; the rewrite case
 * then runs the route's policies, as the proxy does before it goes upstream. Requests are the next
 * of 4,096 pre-built ones, spread over every rule.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RegexRouteBenchmark {

  private static final int REQUESTS = 4096;

  @Param({"1000"})
  public int paths;

  private RouteTable table;
  private String[][] plainHit;
  private String[][] regexHit;
  private String[][] regexMiss;
  private String[][] rewriteHit;
  private int next;

  /** The table: the plain host, the regex host and the rewrite host. */
  public static RouteTable table(int paths) {
    RouteTableBuilder builder = RouteTable.builder();
    Backend backend =
        Backend.of(
            new BackendId("default", "svc", "http"), List.of(Endpoint.of("127.0.0.1", 8080)));
    RouteOrigin origin = new RouteOrigin("default", "bench");
    HostnamePattern plain = HostnamePattern.of("plain.bench.test");
    HostnamePattern regex = HostnamePattern.of("regex.bench.test");
    for (int p = 0; p < paths; p++) {
      builder.add(new Route(plain, PathMatch.prefix("/svc" + p + "/api"), backend, origin));
      builder.add(new Route(regex, PathMatch.regex("/svc" + p + "/v[0-9]+/(.*)"), backend, origin));
    }
    PathMatch.Regex app = (PathMatch.Regex) PathMatch.regex("/app(/|$)(.*)");
    RequestPolicy rewrite = new RewritePolicy(app, RewriteTemplate.of("/$2"), null);
    builder.add(
        new Route(
            HostnamePattern.of("rewrite.bench.test"),
            app,
            backend,
            origin,
            HttpsPolicy.NONE,
            RoutePolicies.of(rewrite)));
    return builder.build();
  }

  @Setup
  public void setUp() {
    table = table(paths);
    Random random = new Random(42);
    plainHit = new String[REQUESTS][];
    regexHit = new String[REQUESTS][];
    regexMiss = new String[REQUESTS][];
    rewriteHit = new String[REQUESTS][];
    for (int i = 0; i < REQUESTS; i++) {
      int p = random.nextInt(paths);
      plainHit[i] = new String[] {"plain.bench.test", "/svc" + p + "/api/users/42"};
      regexHit[i] = new String[] {"regex.bench.test", "/svc" + p + "/v2/users/42"};
      regexMiss[i] = new String[] {"regex.bench.test", "/svc" + p + "/api/users/42"};
      rewriteHit[i] = new String[] {"rewrite.bench.test", "/app/users/" + p};
    }
    for (String[][] requests : List.of(plainHit, regexHit, rewriteHit)) {
      for (String[] request : requests) {
        if (lookup(request) == null) {
          throw new IllegalStateException("expected a hit: " + String.join(" ", request));
        }
      }
    }
    for (String[] request : regexMiss) {
      if (lookup(request) != null) {
        throw new IllegalStateException("expected a miss: " + String.join(" ", request));
      }
    }
    String rewritten = rewrite(rewriteHit[0]);
    if (!rewritten.startsWith("/users/")) {
      throw new IllegalStateException("expected a rewrite to /users/: " + rewritten);
    }
  }

  private @Nullable RouteTarget lookup(String[] request) {
    String host = HostnamePattern.normalizeRequestHost(request[0]);
    // The requests are made valid in setUp(): a path that does not normalise is a broken benchmark.
    String path = requireNonNull(RequestPaths.normalize(request[1]), "path");
    return table.match(host, path);
  }

  /** Looks the rule up and runs its policies; returns the path that goes upstream. */
  private String rewrite(String[] request) {
    String host = HostnamePattern.normalizeRequestHost(request[0]);
    String path = requireNonNull(RequestPaths.normalize(request[1]), "path");
    RouteTarget target = requireNonNull(table.match(host, path), "target");
    Outcome outcome = new Outcome();
    PolicyChain chain =
        new PolicyChain(target.route().policies(), new Request(host, path), outcome);
    chain.start();
    UpstreamChanges changes = requireNonNull(outcome.proceeded, "proceeded").upstreamChanges();
    String uri = changes == null ? null : changes.uri();
    return uri == null ? path : uri;
  }

  private String[] nextOf(String[][] requests) {
    int i = next;
    next = (i + 1) & (REQUESTS - 1);
    return requests[i];
  }

  @Benchmark
  public @Nullable RouteTarget plainHit() {
    return lookup(nextOf(plainHit));
  }

  @Benchmark
  public @Nullable RouteTarget regexHit() {
    return lookup(nextOf(regexHit));
  }

  @Benchmark
  public @Nullable RouteTarget regexMiss() {
    return lookup(nextOf(regexMiss));
  }

  @Benchmark
  public String rewriteHit() {
    return rewrite(nextOf(rewriteHit));
  }

  /** A GET of a path without a query, over plain HTTP. */
  private record Request(String host, String path) implements PolicyRequest {
    private static final ListenerFacts PLAIN =
        new ListenerFacts(false, ListenerFacts.STANDARD_HTTPS_PORT, false);
    private static final ClientAddress LOOPBACK =
        ClientAddress.direct(IpAddress.parse("127.0.0.1").orElseThrow());

    @Override
    public String method() {
      return "GET";
    }

    @Override
    public String authority() {
      return host;
    }

    @Override
    public String pathAndQuery() {
      return path;
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
    public ClientAddress client() {
      return LOOPBACK;
    }

    @Override
    public ListenerFacts listener() {
      return PLAIN;
    }
  }

  /** Keeps the chain that proceeded; every policy here decides at once. */
  private static final class Outcome implements PolicyChain.Outcome {
    private @Nullable PolicyChain proceeded;

    @Override
    public void proceeded(PolicyChain chain) {
      proceeded = chain;
    }

    @Override
    public void answered(PolicyChain chain, PolicyAnswer answer) {
      throw new IllegalStateException("answered " + answer);
    }

    @Override
    public void failed(RequestPolicy policy, RuntimeException error) {
      throw error;
    }

    @Override
    public void execute(Runnable step) {
      step.run();
    }
  }
}
