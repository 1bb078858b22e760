package io.portico.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Portico as users run it: {@code java -jar portico.jar run ...} in its own process. */
abstract class PorticoProcess implements Target {

  // One line per heap space: G1 has one ("garbage-first heap"), Serial two (new and tenured
  // generation); the Metaspace line has no "total".
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  /**
   * The java executable that runs Portico ({@code -Dportico.java}, as bench/propagation.sh sets).
   */
  static final String JAVA = System.getProperty("portico.java", "java");

  // The jcmd of the same JDK: one of another release may not attach, or read its output otherwise.
  private static final String JCMD =
      JAVA.contains("/") ? Path.of(JAVA).resolveSibling("jcmd").toString() : "jcmd";

  final Setup setup;
  final Path jar;
  final List<String> javaOptions;
  final int httpPort = Http.freePort();
  final int httpsPort = Http.freePort();
  final int adminPort = Http.freePort();

  // Set by launch(), which start() calls first; close() runs after a failed start too.
  @SuppressWarnings("NullAway.Init")
  private Process process;

  private long startedNanos;

  PorticoProcess(Setup setup, Path jar, List<String> javaOptions) {
    this.setup = setup;
    this.jar = jar;
    this.javaOptions = javaOptions;
  }

  /** Whether this jar serves HTTPS (the TLS listener's flag is in its help). */
  static boolean servesHttps(Path jar) {
    return Proc.run(60, List.of(JAVA, "-jar", jar.toString(), "run", "--help"))
        .contains("--https-port");
  }

  void launch(List<String> sourceArgs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(JAVA);
    // Every pause, with the JVM's uptime, to count those during the change loops.
    command.add("-Xlog:gc:file=" + setup.work().resolve("gc.log") + ":uptime");
    command.addAll(javaOptions);
    command.addAll(List.of("-jar", jar.toString(), "run"));
    command.addAll(sourceArgs);
    command.addAll(
        List.of(
            "--bind",
            "127.0.0.1",
            "--http-port",
            Integer.toString(httpPort),
            "--admin-port",
            Integer.toString(adminPort),
            "--event-loops",
            Integer.toString(setup.workers()),
            "--log-level",
            "info",
            "--access-log",
            "off",
            "--shutdown-delay",
            "0s"));
    if (setup.tls()) {
      command.addAll(List.of("--https-port", Integer.toString(httpsPort)));
    }
    // Info: one line per translation with took_ms, the in-process part of each change.
    Path log = setup.work().resolve("portico.log");
    startedNanos = System.nanoTime();
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
  }

  /** Waits until every part of the workload serves, or fails after {@code seconds}. */
  void awaitServing(long seconds) {
    Readiness.await(this, setup, seconds, () -> process.isAlive());
  }

  @Override
  public int httpPort() {
    return httpPort;
  }

  @Override
  public int httpsPort() {
    return httpsPort;
  }

  @Override
  public long rssKib() {
    return Proc.rssKib(process.pid());
  }

  @Override
  public long heapUsedKib() {
    String pid = Long.toString(process.pid());
    Proc.run(60, List.of(JCMD, pid, "GC.run"));
    Matcher used = HEAP_USED.matcher(Proc.run(60, List.of(JCMD, pid, "GC.heap_info")));
    long kib = 0;
    boolean found = false;
    while (used.find()) {
      kib += Long.parseLong(used.group(1));
      found = true;
    }
    return found ? kib : -1;
  }

  /**
   * Where the memory goes, into the work folder: {@code native-memory.txt} (heap, metaspace, code
   * cache, threads, direct buffers; only with {@code -XX:NativeMemoryTracking} among the options)
   * and {@code class-histogram.txt} (objects by class, after a full collection).
   */
  void dumpMemory() throws IOException {
    String pid = Long.toString(process.pid());
    if (javaOptions.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking="))) {
      Files.writeString(
          setup.work().resolve("native-memory.txt"),
          Proc.run(60, List.of(JCMD, pid, "VM.native_memory", "summary")));
    }
    Files.writeString(
        setup.work().resolve("class-histogram.txt"),
        Proc.run(120, List.of(JCMD, pid, "GC.class_histogram")));
  }

  @Override
  public GcLog.Pauses gcPauses(long fromNanos, long toNanos) {
    return GcLog.pauses(
        setup.work().resolve("gc.log"),
        (fromNanos - startedNanos) / 1e9,
        (toNanos - startedNanos) / 1e9);
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
