package io.portico.controller.cli;

import picocli.CommandLine.Option;

/** The flags of the access log. */
final class AccessLogOptions {

  @Option(
      names = "--access-log",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "One line per request on standard output: text, json or off (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--access-log-query",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "false",
      description =
          "Include query strings in access-log lines; they may hold tokens (default: ${DEFAULT-VALUE}).")
  boolean query;
}
