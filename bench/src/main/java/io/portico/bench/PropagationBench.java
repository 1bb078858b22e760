package io.portico.bench;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Config propagation: how long from a change (an Ingress gains a path, an EndpointSlice moves its
 * endpoint, a TLS Secret is rotated) until a new client is served accordingly, while wrk keeps a
 * steady load on a route that never changes. Runs against Portico in manifest mode, Portico against
 * the mock API server, and nginx with {@code nginx -s reload}, at several sizes.
 *
 * <p>Every change is timed from just before it is written (file, API call, or nginx.conf plus
 * reload) to the first successful probe on a new connection; probes run every millisecond. See
 * bench/README.md for the command line.
 */
public final class PropagationBench {

  private PropagationBench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Logger root = Logger.getLogger("");
    root.setLevel(Level.WARNING);
    for (Handler handler : root.getHandlers()) {
      handler.setLevel(Level.WARNING);
    }
    Map<String, String> options = parse(args);
    List<String> targets = List.of(option(options, "targets").split(","));
    List<Integer> sizes =
        Arrays.stream(option(options, "sizes").split(",")).map(Integer::parseInt).toList();
    int changes = Integer.parseInt(options.get("changes"));
    int routes = Integer.parseInt(option(options, "routes"));
    Path jar = Path.of(options.get("jar"));
    String[] backends = option(options, "backends").split(",");
    int backend1 = Integer.parseInt(backends[0]);
    int backend2 = Integer.parseInt(backends[1]);
    Path out = Path.of(options.get("out")).toAbsolutePath();
    int workers = Integer.parseInt(options.get("workers"));
    List<String> javaOptions =
        option(options, "java-opts").isBlank()
            ? List.of()
            : List.of(option(options, "java-opts").trim().split("\\s+"));
    boolean tls =
        switch (option(options, "tls")) {
          case "on" -> true;
          case "off" -> false;
          default -> PorticoProcess.servesHttps(jar);
        };
    System.out.println(
        "propagation: targets="
            + targets
            + " sizes="
            + sizes
            + " changes="
            + changes
            + " httproutes="
            + routes
            + " tls="
            + tls
            + (tls ? "" : " (this portico.jar has no --https-port: Secret changes skipped)")
            + " portico_jvm=\""
            + String.join(" ", javaOptions)
            + "\"");
    Files.createDirectories(out);
    List<Certs.Cert> certs =
        tls ? Certs.generate(out.resolve("certs"), Workload.TLS_HOST, 2) : List.of();

    List<String> rows = new ArrayList<>();
    rows.add(
        "| target | ingresses | httproutes | change | n | p50 ms | p99 ms | max ms | write p50 ms | not served |"
            + " load requests | load failed | RSS MiB | heap MiB | RSS after MiB |"
            + " GC pauses n / max ms | write p99 ms | after write p50 / p99 ms |");
    rows.add(
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
            + " ---: | ---: | ---: | ---: |");
    for (String name : targets) {
      for (int size : sizes) {
        Path work = out.resolve(name + "-" + size);
        deleteRecursively(work);
        Files.createDirectories(work);
        Target.Setup setup =
            new Target.Setup(size, backend1, backend2, work, tls, certs, workers, routes);
        try (Target target = create(name, setup, jar, javaOptions)) {
          int servedRoutes = target.servesGatewayApi() ? routes : 0;
          long started = System.nanoTime();
          target.start();
          System.out.printf(
              Locale.ROOT,
              "%s at %d ingresses and %d httproutes: serving after %.1f s%n",
              name,
              size,
              servedRoutes,
              (System.nanoTime() - started) / 1e9);
          double rss = target.rssKib() / 1024.0;
          long heapKib = target.heapUsedKib();
          String heap = heapKib < 0 ? "-" : String.format(Locale.ROOT, "%.0f", heapKib / 1024.0);
          List<String> kinds = new ArrayList<>(List.of("ingress", "endpointslice"));
          if (tls) {
            kinds.add("secret");
          }
          if (servedRoutes > 0) {
            kinds.add("httproute");
          }
          for (String kind : kinds) {
            WrkLoad load =
                WrkLoad.start(
                    work,
                    target.httpPort(),
                    Workload.STEADY_HOST,
                    Integer.parseInt(options.get("load-connections")),
                    Integer.parseInt(options.get("load-delay-ms")),
                    Integer.parseInt(options.get("load-max-seconds")));
            Proc.sleep(500);
            long loopStart = System.nanoTime();
            Loop loop = changeLoop(target, setup, kind, changes, new Random(size));
            GcLog.Pauses pauses = target.gcPauses(loopStart, System.nanoTime());
            WrkLoad.Result result = load.stop();
            double rssAfter = target.rssKib() / 1024.0;
            String row =
                String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %s | %d | %.1f | %.1f | %.1f | %.1f | %d | %d | %d | %.0f | %s |"
                        + " %.0f | %s | %.1f | %.1f / %.1f |",
                    name,
                    size,
                    servedRoutes,
                    kind,
                    loop.millis.length,
                    percentile(loop.millis, 50),
                    percentile(loop.millis, 99),
                    percentile(loop.millis, 100),
                    percentile(loop.writeMillis, 50),
                    loop.notServed,
                    result.requests(),
                    result.failed(),
                    rss,
                    heap,
                    rssAfter,
                    pauses == null ? "-" : pauses.toString(),
                    percentile(loop.writeMillis, 99),
                    percentile(loop.afterWrite(), 50),
                    percentile(loop.afterWrite(), 99));
            System.out.println(row);
            rows.add(row);
            if (result.failed() > 0) {
              System.out.println("  wrk: " + result.raw().replace("\n", "\n  "));
            }
          }
          if (target instanceof PorticoProcess portico) {
            portico.dumpMemory();
          }
        }
      }
    }
    String table = String.join("\n", rows) + "\n";
    Files.writeString(out.resolve("propagation.md"), table);
    System.out.println();
    System.out.print(table);
  }

  /**
   * One change loop: time to serve per change, and how much of it the write itself took (the file
   * rename, the API call returning, nginx.conf plus {@code nginx -s reload} returning).
   */
  private record Loop(double[] millis, double[] writeMillis, int notServed) {

    /**
     * Per change, how long after the write returned the change served (0 when it served before):
     * the target's own share when writing is slow, as through the mock API server, whose watch
     * event may reach the target before its answer to the write does.
     */
    double[] afterWrite() {
      double[] after = new double[millis.length];
      for (int i = 0; i < after.length; i++) {
        after[i] = Math.max(0, millis[i] - writeMillis[i]);
      }
      return after;
    }
  }

  private static Loop changeLoop(
      Target target, Target.Setup setup, String kind, int changes, Random random) throws Exception {
    double[] millis = new double[changes];
    double[] writeMillis = new double[changes];
    int notServed = 0;
    for (int c = 1; c <= changes; c++) {
      Proc.sleep(50 + random.nextInt(100));
      int backend = c % 2 == 1 ? setup.backend2() : setup.backend1();
      String expectedBody = c % 2 == 1 ? "b2" : "b1";
      Certs.Cert cert = kind.equals("secret") ? setup.certs().get(c % 2) : null;
      long t0 = System.nanoTime();
      switch (kind) {
        case "ingress" -> target.changeIngress(c);
        case "endpointslice" -> target.changeSlice(backend);
        case "httproute" -> target.changeRoute(c);
        default -> target.changeSecret(requireNonNull(cert, "cert"));
      }
      writeMillis[c - 1] = (System.nanoTime() - t0) / 1e6;
      long deadline = t0 + 30_000_000_000L;
      boolean served = false;
      while (System.nanoTime() < deadline) {
        served =
            switch (kind) {
              case "ingress" ->
                  Http.get(target.httpPort(), Workload.PROBE_HOST, Workload.probePath(c)).ok();
              case "httproute" ->
                  Http.get(target.httpPort(), Workload.PROBE_ROUTE_HOST, Workload.probePath(c))
                      .ok();
              case "endpointslice" ->
                  Http.get(target.httpPort(), Workload.FLIP_HOST, "/")
                      .body()
                      .contains(expectedBody);
              default ->
                  requireNonNull(cert, "cert")
                      .serial()
                      .equals(Http.serverCertificateSerial(target.httpsPort(), Workload.TLS_HOST));
            };
        if (served) {
          break;
        }
        Proc.sleep(1);
      }
      millis[c - 1] = (System.nanoTime() - t0) / 1e6;
      if (!served) {
        notServed++;
      }
    }
    return new Loop(millis, writeMillis, notServed);
  }

  /** Nearest-rank percentile; with 50 samples p99 is the largest. */
  static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static Target create(
      String name, Target.Setup setup, Path jar, List<String> javaOptions) {
    return switch (name) {
      case "portico-manifests" -> new PorticoManifests(setup, jar, javaOptions);
      case "portico-cluster" -> new PorticoCluster(setup, jar, javaOptions);
      case "nginx" -> new NginxTarget(setup);
      default ->
          throw new IllegalArgumentException(
              "target: " + name + " (expected: portico-manifests, portico-cluster or nginx)");
    };
  }

  /** An option's value: parse() gives every option a default. */
  private static String option(Map<String, String> options, String name) {
    return requireNonNull(options.get(name), name);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("targets", "portico-manifests,portico-cluster,nginx");
    options.put("sizes", "1,1000,5000");
    options.put("changes", "50");
    options.put("routes", "0");
    options.put("jar", "controller/target/portico.jar");
    options.put("backends", "");
    options.put("out", "bench/out/propagation");
    options.put("workers", "1");
    options.put("java-opts", "");
    options.put("tls", "auto");
    options.put("load-connections", "4");
    options.put("load-delay-ms", "2");
    options.put("load-max-seconds", "150");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || !options.containsKey(arg.substring(2)) || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "argument: "
                + arg
                + " (expected: --NAME VALUE with NAME one of "
                + options.keySet()
                + ")");
      }
      options.put(arg.substring(2), args[++i]);
    }
    if (option(options, "backends").isEmpty()) {
      throw new IllegalArgumentException(
          "--backends PORT1,PORT2 is required (see bench/README.md)");
    }
    return options;
  }

  private static void deleteRecursively(Path path) throws java.io.IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
