package io.portico.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.TrailingSlashRedirectPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every routing table in {@code src/test/resources/routing} (see its README). */
class RouteTableFixtureTest {

  @TestFactory
  Stream<DynamicContainer> routingTables() throws IOException, URISyntaxException {
    Path dir = Path.of(getClass().getResource("/routing").toURI());
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no routing fixtures found in " + dir);
    return files.stream().map(RouteTableFixtureTest::container);
  }

  private static DynamicContainer container(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RouteTableBuilder builder = RouteTable.builder();
    List<String[]> expectations = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] words = line.split("\\s+");
      switch (words[0]) {
        case "route" -> {
          HostnamePattern host = HostnamePattern.of(words[1].equals("*") ? "" : words[1]);
          PathMatch path =
              switch (words[2]) {
                case "Exact" -> PathMatch.exact(words[3]);
                case "Regex" -> PathMatch.regex(words[3]);
                default -> PathMatch.prefix(words[3]);
              };
          builder.add(new Route(host, path, backend(words[5]), new RouteOrigin("ns", "ing")));
        }
        case "fallback" -> {
          HostnamePattern host = HostnamePattern.of(words[1].equals("*") ? "" : words[1]);
          builder.fallback(
              new Route(
                  host, PathMatch.prefix("/"), backend(words[3]), new RouteOrigin("ns", "d")));
        }
        case "default" ->
            builder.defaultRoute(
                new Route(
                    HostnamePattern.any(),
                    PathMatch.prefix("/"),
                    backend(words[2]),
                    RouteOrigin.CONTROLLER_DEFAULT));
        case "expect" ->
            expectations.add(
                new String[] {
                  words[1],
                  words[2],
                  String.join(" ", List.of(words).subList(4, words.length)),
                  line
                });
        default -> throw new IllegalArgumentException(file + ": unknown line: " + line);
      }
    }
    RouteTable table = builder.build();
    return DynamicContainer.dynamicContainer(
        file.getFileName().toString(),
        expectations.stream()
            .map(
                e ->
                    DynamicTest.dynamicTest(
                        e[3], () -> assertEquals(e[2], lookup(table, e[0], e[1]), table.dump()))));
  }

  /** What Portico does with a request: normalise host and path, then match. */
  private static String lookup(RouteTable table, String host, String rawPath) {
    String path = RequestPaths.normalize(rawPath);
    if (path == null) {
      return "400";
    }
    RouteTarget target =
        table.match(HostnamePattern.normalizeRequestHost(host.equals("-") ? null : host), path);
    if (target == null) {
      return "404";
    }
    for (RequestPolicy policy : target.route().policies().all()) {
      if (policy instanceof TrailingSlashRedirectPolicy redirect) {
        return "301 " + redirect.path();
      }
    }
    return target.route().backend().id().service();
  }

  private static Backend backend(String name) {
    return Backend.of(new BackendId("ns", name, "80"), List.of(Endpoint.of("10.0.0.1", 8080)));
  }
}
