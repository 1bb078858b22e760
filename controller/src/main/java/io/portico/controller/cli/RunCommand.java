package io.portico.controller.cli;

import io.portico.controller.Controller;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

  @Mixin RunOptions options;

  @Override
  public Integer call() throws Exception {
    Logging.configure(options.logLevel());
    return serve(options);
  }

  /**
   * Starts a controller and serves until the process is asked to stop (SIGTERM or SIGINT), then
   * shuts down gracefully and exits 0.
   */
  static int serve(RunOptions options) throws Exception {
    // Not a static logger: picocli creates every command before one runs, and the first logger
    // fixes the level that Logging.configure sets for the command that runs.
    Logger log = LoggerFactory.getLogger(RunCommand.class);
    log.info("event=jvm {}", JvmSummary.current().fields());
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
}
