package io.portico.controller.cli;

import io.portico.controller.Controller;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portico run}: serve until stopped. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "Run the controller: watch the cluster (or a folder of manifests) and serve its Ingresses.",
    })
final class RunCommand implements Callable<Integer> {

  // Long enough for a cold JVM on a busy build machine to load, translate and warm up.
  private static final Duration READY_LIMIT = Duration.ofMinutes(2);

  @Mixin RunOptions options;

  @Option(
      names = "--exit-when-ready",
      description =
          "Start, warm up, and exit 0 as soon as /readyz would answer ready (1 if it does not"
              + " within 2 minutes). The image build runs this once to record the JVM's"
              + " ahead-of-time cache from a real start; it also checks that a configuration"
              + " starts.")
  boolean exitWhenReady;

  @Override
  public Integer call() throws Exception {
    Logging.configure(options.logLevel());
    return serve(options, exitWhenReady);
  }

  /**
   * Starts a controller and serves until the process is asked to stop (SIGTERM or SIGINT), then
   * shuts down gracefully and exits 0.
   */
  static int serve(RunOptions options) throws Exception {
    return serve(options, false);
  }

  private static int serve(RunOptions options, boolean exitWhenReady) throws Exception {
    // Not a static logger: picocli creates every command before one runs, and the first logger
    // fixes the level that Logging.configure sets for the command that runs.
    Logger log = LoggerFactory.getLogger(RunCommand.class);
    JvmSummary jvm = JvmSummary.current();
    log.info("event=jvm {}", jvm.fields());
    if (jvm.sizedByTheJvm()) {
      log.warn(
          "event=jvm_defaults detail=\"no JVM options: the JVM chose {} and a heap of up to {} MiB"
              + " from the whole machine; bin/portico runs the jar with the container image's"
              + " settings instead (docs/performance.md#outside-a-container)\"",
          jvm.collector(),
          jvm.maxHeapMib());
    }
    Controller controller;
    try {
      controller = Controller.start(options.controllerSettings());
    } catch (java.io.IOException e) {
      System.err.println("run: cannot start: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      System.err.println("run: cannot start: " + Errors.describe(e));
      return 1;
    }
    if (exitWhenReady) {
      try (controller) {
        return exitOnceReady(controller, log);
      }
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  controller.shutdown();
                  // A stop that was asked for is a success: exit 0, not the signal's 143.
                  Runtime.getRuntime().halt(0);
                },
                "portico-shutdown"));
    new CountDownLatch(1).await();
    return 0;
  }

  /**
   * Waits until the controller is ready, the warm-up included: a whole start, so that a JVM
   * recording what it loads and compiles sees what a replica does before its first request.
   */
  private static int exitOnceReady(Controller controller, Logger log) throws InterruptedException {
    long deadline = System.nanoTime() + READY_LIMIT.toNanos();
    String reason = controller.notReadyReason();
    while (reason != null && System.nanoTime() < deadline) {
      Thread.sleep(50);
      reason = controller.notReadyReason();
    }
    if (reason != null) {
      System.err.println("run: not ready after " + READY_LIMIT.toSeconds() + " s: " + reason);
      return 1;
    }
    log.info("event=ready_exiting (--exit-when-ready)");
    return 0;
  }
}
