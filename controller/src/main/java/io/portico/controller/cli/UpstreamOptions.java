package io.portico.controller.cli;

import io.portico.router.balance.AffinityKey;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The flags of the way to the backends: timeouts, and the key of session-affinity cookies. */
final class UpstreamOptions {

  @Option(
      names = "--upstream-connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Time to connect to an endpoint (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(
      names = "--upstream-read-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "Time without a byte from the backend before the request fails with 504 (default: ${DEFAULT-VALUE}).")
  Duration readTimeout;

  @Option(
      names = "--affinity-key-file",
      paramLabel = "FILE",
      converter = AffinityKeyConverter.class,
      description =
          "File whose bytes (at least 16; 32 random ones are best) key the session-affinity"
              + " cookies; every replica needs the same file (default: a built-in key, which"
              + " anyone can reproduce).")
  @Nullable AffinityKey affinityKey;

  /** The key of session-affinity cookies: the file's, or the built-in one. */
  AffinityKey affinityKey() {
    return affinityKey != null ? affinityKey : AffinityKey.builtIn();
  }
}
