package io.portico.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code portico} command. */
@Command(
    name = "portico",
    mixinStandardHelpOptions = true,
    version = "portico 0.1.0",
    description = "A Kubernetes Ingress controller.",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      ExplainCommand.class,
      AuditCommand.class,
      CertgenCommand.class,
      EchoCommand.class
    })
public final class Portico implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "a command is required (run, demo, explain, audit, certgen, echo)");
  }

  /** The command line, ready to execute; tests use it to parse flags exactly as users do. */
  public static CommandLine commandLine() {
    return new CommandLine(new Portico()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
