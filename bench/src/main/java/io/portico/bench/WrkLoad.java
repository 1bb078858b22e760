package io.portico.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A steady background load from wrk on a route that never changes, stopped with SIGINT (wrk then
 * prints its summary) when the change loop ends, and never running longer than its cap. Each
 * connection waits {@code delayMillis} between requests (wrk's Lua {@code delay()}), so the load is
 * steady rather than saturating: the change loop measures propagation, not a starved machine.
 */
final class WrkLoad {

  /** What wrk counted. {@code failed} is every non-2xx/3xx answer plus every socket error. */
  record Result(long requests, long non2xx, long socketErrors, String raw) {
    long failed() {
      return non2xx + socketErrors;
    }
  }

  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private final Process process;
  private final Path output;

  private WrkLoad(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static WrkLoad start(
      Path work, int port, String host, int connections, int delayMillis, int maxSeconds)
      throws IOException {
    Path script = work.resolve("delay.lua");
    Files.writeString(script, "function delay()\n  return " + delayMillis + "\nend\n");
    Path output = work.resolve("wrk-" + System.nanoTime() + ".txt");
    Process process =
        new ProcessBuilder(
                List.of(
                    "wrk",
                    "-t1",
                    "-c" + connections,
                    "-d" + maxSeconds + "s",
                    "--timeout",
                    "5s",
                    "-s",
                    script.toString(),
                    "-H",
                    "Host: " + host,
                    "http://127.0.0.1:" + port + "/"))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return new WrkLoad(process, output);
  }

  Result stop() throws IOException, InterruptedException {
    Proc.run(10, List.of("kill", "-INT", Long.toString(process.pid())));
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    long requests = find(REQUESTS, text, 1);
    long non2xx = find(NON_2XX, text, 1);
    long socket = 0;
    Matcher errors = SOCKET_ERRORS.matcher(text);
    if (errors.find()) {
      for (int g = 1; g <= 4; g++) {
        socket += Long.parseLong(errors.group(g));
      }
    }
    return new Result(requests, non2xx, socket, text);
  }

  private static long find(Pattern pattern, String text, int group) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? Long.parseLong(matcher.group(group)) : 0;
  }
}
