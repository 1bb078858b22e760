package io.portico.controller.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The flags of the listeners: addresses, ports, event loops and idle clients. */
final class ListenerOptions {

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "0.0.0.0",
      description = "Address the listeners bind (default: ${DEFAULT-VALUE}, all interfaces).")
  String bind;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "Plain HTTP port; 0 picks a free port and logs it (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--https-port",
      paramLabel = "PORT",
      defaultValue = "8443",
      description = "HTTPS port; 0 picks a free port and logs it (default: ${DEFAULT-VALUE}).")
  int httpsPort;

  @Option(
      names = "--admin-port",
      paramLabel = "PORT",
      defaultValue = "10254",
      description =
          "Admin port for /healthz, /readyz and /routes; 0 picks a free port (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(
      names = "--event-loops",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Event loops serving traffic; 0 means one per CPU core (default: ${DEFAULT-VALUE}).")
  int eventLoops;

  @Option(
      names = "--client-idle-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "Time an idle client connection is kept open (default: ${DEFAULT-VALUE}).")
  Duration clientIdleTimeout;

  /** The event loops asked for, or one per CPU core. */
  int eventLoops() {
    return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
  }
}
