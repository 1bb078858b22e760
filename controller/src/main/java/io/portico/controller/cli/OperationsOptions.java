package io.portico.controller.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The flags of operations: stopping, the timing of the sync loop, and the log level. */
final class OperationsOptions {

  @Option(
      names = "--shutdown-delay",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "On SIGTERM, keep serving this long with readiness failing, so endpoints drop this"
              + " replica first (default: ${DEFAULT-VALUE}).")
  Duration shutdownDelay;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "Then stop accepting and give requests in flight this long to finish (default:"
              + " ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(
      names = "--sync-holdoff",
      paramLabel = "DURATION",
      defaultValue = "10ms",
      converter = DurationConverter.class,
      description =
          "After a change from the Kubernetes API, wait this long for more before translating, so"
              + " a burst becomes one translation (default: ${DEFAULT-VALUE}).")
  Duration syncHoldoff;

  @Option(
      names = "--sync-max-delay",
      paramLabel = "DURATION",
      defaultValue = "200ms",
      converter = DurationConverter.class,
      description =
          "The longest a change waits for its translation while more keep coming (default:"
              + " ${DEFAULT-VALUE}).")
  Duration syncMaxDelay;

  @Option(
      names = "--warm-up",
      paramLabel = "DURATION",
      defaultValue = "3s",
      converter = DurationConverter.class,
      description =
          "After the listeners start, run loopback traffic through the proxy's code this long,"
              + " with readiness failing, so the first real requests meet compiled code; 0s for"
              + " none (default: ${DEFAULT-VALUE}).")
  Duration warmUp;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      defaultValue = "info",
      description = "Log level: error, warn, info, debug or trace (default: ${DEFAULT-VALUE}).")
  String logLevel;
}
