package io.portico.controller.cli;

import io.portico.router.echo.EchoBackend;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portico echo}: a tiny backend that answers with its name and the request it saw. The
 * examples run it in Deployments, so trying Portico needs no other image.
 */
@Command(
    name = "echo",
    mixinStandardHelpOptions = true,
    description = "Run an echo backend that answers every request with its name and the request.")
final class EchoCommand implements Callable<Integer> {

  @Option(names = "--name", required = true, description = "The name to answer with.")
  String name;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      EchoBackend backend =
          EchoBackend.start(vertx, name, bind, port)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      System.err.println("echo: " + name + " listening on " + bind + ":" + backend.port());
    } catch (Exception e) {
      vertx.close();
      System.err.println("echo: cannot start: " + Errors.describe(e));
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "echo-shutdown"));
    stopped.await();
    return 0;
  }
}
