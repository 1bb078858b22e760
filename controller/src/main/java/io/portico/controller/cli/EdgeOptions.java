package io.portico.controller.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The flags of the edge defaults (see docs/security.md): how long a client may take, how many may
 * connect, and which requests the listeners refuse.
 */
final class EdgeOptions {

  @Option(
      names = "--client-header-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "Time a client has to send a whole request head, from its first byte (HTTP/1.x: 408,"
              + " then close) (default: ${DEFAULT-VALUE}).")
  Duration clientHeaderTimeout;

  @Option(
      names = "--client-body-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "Longest a client may leave its request body without a byte while Portico reads it"
              + " (408, or a reset once the response started) (default: ${DEFAULT-VALUE}).")
  Duration clientBodyTimeout;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Most client connections open at once in this process, over all listeners; more are"
              + " closed as they come; 0 means no cap (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--allow-encoded-slashes",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "false",
      description =
          "Accept %%2F in request paths, for backends that need it; a backend that decodes it"
              + " before routing can then be reached outside the rule's path"
              + " (default: ${DEFAULT-VALUE}).")
  boolean allowEncodedSlashes;

  @Option(
      names = "--h2c-prior-knowledge",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "false",
      description =
          "Speak HTTP/2 on the plain port to clients that start with its preface (gRPC without"
              + " TLS); the HTTP/1.1 Upgrade: h2c path is refused either way"
              + " (default: ${DEFAULT-VALUE}).")
  boolean h2cPriorKnowledge;
}
