package io.portico.controller.cli;

import io.portico.controller.source.ManifestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code portico demo}: the first thing a new user runs. Starts a small echo backend for every
 * loopback endpoint the folder's EndpointSlices and Endpoints name, then serves the folder exactly
 * as {@code portico run --manifests} would.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "Start echo backends for the loopback endpoints in a manifest folder (default:"
          + " examples/local) and serve it: routing on one machine, no cluster needed.",
      "Takes every flag of 'portico run'."
    })
final class DemoCommand implements Callable<Integer> {

  static final Path DEFAULT_FOLDER = Path.of("examples", "local");

  @Mixin RunOptions options;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Logging.configure(options.logLevel());
    if (options.manifests == null) {
      options.manifests = DEFAULT_FOLDER;
    }
    if (!spec.commandLine().getParseResult().hasMatchedOption("--shutdown-delay")) {
      // Nothing balances traffic to the demo: Ctrl-C should stop it at once.
      options.operations.shutdownDelay = java.time.Duration.ZERO;
    }
    if (options.tls.httpsRedirectPort == null) {
      // Redirects name the demo's own HTTPS port, so that curl -L works on this machine.
      options.tls.httpsRedirectPort = 0;
    }
    Path folder = options.manifests;
    if (!Files.isDirectory(folder)) {
      System.err.println(
          "demo: "
              + folder
              + ": no such directory (run from the repository root, or pass --manifests DIR)");
      return 1;
    }
    try (DemoBackends backends = DemoBackends.start(folder)) {
      System.err.println(backends.summary());
      return RunCommand.serve(options);
    } catch (ManifestException | IOException e) {
      System.err.println("demo: " + e.getMessage());
      return 1;
    }
  }
}
