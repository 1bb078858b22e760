package io.portico.controller.cli;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.testing.Manifests;
import io.portico.router.echo.EchoBackend;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shutdown sequence of a real Portico process: on SIGTERM readiness fails at once, traffic is
 * served through the shutdown delay, a request in flight completes, and the process exits 0.
 */
class GracefulShutdownTest {

  private static final Pattern LISTENING =
      Pattern.compile("event=listening listener=(http|admin) address=[^:]+:(\\d+)");

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private Process process;

  @AfterEach
  void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void aRequestInFlightAcrossSigtermCompletesAndTheProcessExitsZero() throws Exception {
    EchoBackend slow = await(EchoBackend.start(vertx.vertx(), "slow", "127.0.0.1", 0));
    Files.writeString(
        folder.resolve("objects.yaml"),
        Manifests.service("slow-svc", slow.port())
            + "---\n"
            + Manifests.ingress("slow", "slow.test", "/", "slow-svc"));
    process =
        RunProcess.start(
            folder.resolve("portico.log"),
            "--manifests=" + folder,
            "--event-loops=1",
            "--access-log=off",
            "--shutdown-delay=10s", // long enough for a loaded machine to poll readiness and
            // ask once more
            "--drain-timeout=20s");
    Path logFile = folder.resolve("portico.log");
    int[] ports = new int[2];
    Await.until(
        "the ports in the log",
        Duration.ofSeconds(30),
        () -> {
          Matcher m = LISTENING.matcher(Files.readString(logFile));
          while (m.find()) {
            ports[m.group(1).equals("http") ? 0 : 1] = Integer.parseInt(m.group(2));
          }
          return ports[0] > 0 && ports[1] > 0;
        });
    HttpProbe admin = new HttpProbe(vertx.vertx(), ports[1]);
    Await.until(
        "readiness",
        Duration.ofSeconds(30),
        () -> admin.get("localhost", "/readyz").status() == 200);

    // A request the backend holds for 4 s, in flight when SIGTERM arrives.
    HttpProbe client = new HttpProbe(vertx.vertx(), ports[0]);
    CompletableFuture<HttpProbe.Answer> inFlight =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return client.get("slow.test", "/long?delay=4000");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Await.until(
        "the backend to hold the request", Duration.ofSeconds(10), () -> slow.requests() == 1);
    process.destroy(); // SIGTERM

    Await.until(
        "readiness to fail",
        Duration.ofSeconds(5),
        () -> admin.get("localhost", "/readyz").status() == 503);
    assertEquals("not ready: shutting down\n", admin.get("localhost", "/readyz").text());
    // During the shutdown delay, new requests are still served.
    assertEquals(200, client.get("slow.test", "/during-delay").status());

    HttpProbe.Answer answer = inFlight.get(30, TimeUnit.SECONDS);
    assertEquals(200, answer.status(), "the request in flight completed");
    assertEquals("slow", answer.backend());
    assertTrue(process.waitFor(40, TimeUnit.SECONDS), "the process stopped");
    String log = Files.readString(logFile);
    assertEquals(0, process.exitValue(), log);
    assertTrue(log.contains("event=shutdown_started"), log);
    assertTrue(log.contains("event=stopped"), log);
  }
}
