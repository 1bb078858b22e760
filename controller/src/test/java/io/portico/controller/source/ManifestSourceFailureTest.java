package io.portico.controller.source;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.router.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When reading the folder fails in a way no typo explains (a reader that throws, an Error), what
 * was read before the failure still counts, and the folder stays watched.
 */
class ManifestSourceFailureTest {

  @TempDir Path folder;
  private final ManifestParser parser = new ManifestParser();
  private long clock = 1_700_000_000_000L;

  /** A reader that throws what {@code failure} gives for files holding "BOOM", then reads. */
  private ManifestSource.Reader failingOn(Supplier<? extends Throwable> failure, int times) {
    AtomicInteger left = new AtomicInteger(times);
    return (source, text) -> {
      if (text.contains("BOOM") && left.getAndDecrement() > 0) {
        Throwable thrown = failure.get();
        if (thrown instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw (Error) thrown;
      }
      return parser.parse(source, text.replace("BOOM", "boom"));
    };
  }

  @Test
  void aReaderThatThrowsOnOneFileFailsThatFileAloneAndTheOthersChangesApply() throws Exception {
    ManifestSource source =
        new ManifestSource(folder, failingOn(() -> new IllegalStateException("bug"), 1));
    write("a.yaml", service("a", 80));
    write("b.yaml", service("b", 80));
    source.scan();

    write("a.yaml", service("a", 8080));
    write("b.yaml", service("b", 8080) + "# BOOM\n");
    assertDoesNotThrow(source::scan);

    assertEquals(8080, port(source, "a"), "the change read before the failure applies");
    assertEquals(80, port(source, "b"), "the failing file keeps its objects, as after a typo");
    String error = source.errors().get(folder.resolve("b.yaml"));
    assertTrue(error != null && error.contains("bug"), String.valueOf(error));
  }

  @Test
  void anErrorPartWayThroughAScanLosesNoChangeReadBeforeIt() throws Exception {
    ManifestSource source =
        new ManifestSource(folder, failingOn(() -> new StackOverflowError("deep"), 1));
    write("a.yaml", service("a", 80));
    write("b.yaml", service("b", 80));
    write("c.yaml", service("c", 80));
    source.scan();

    Files.delete(folder.resolve("c.yaml"));
    write("a.yaml", service("a", 8080));
    write("b.yaml", service("b", 8080) + "# BOOM\n");
    assertThrows(StackOverflowError.class, source::scan);
    assertEquals(8080, port(source, "a"));
    assertNull(source.snapshot().service(new ObjectKey("default", "c")));

    // The next scan reads the file that failed; what was published stays.
    source.scan();
    assertEquals(8080, port(source, "a"));
    assertEquals(8080, port(source, "b"));
    assertNull(source.snapshot().service(new ObjectKey("default", "c")));
  }

  @Test
  void anErrorDoesNotEndTheWatchingOfTheFolder() throws Exception {
    ManifestSource source =
        new ManifestSource(folder, failingOn(() -> new AssertionError("reader broke"), 1));
    write("a.yaml", service("a", 80));
    source.start(ChangeListener.NONE);
    try {
      write("b.yaml", service("b", 80) + "# BOOM\n");
      write("c.yaml", service("c", 80));
      Await.until(
          "b.yaml and c.yaml, read after the Error",
          Duration.ofSeconds(20),
          () -> hasService(source, "b") && hasService(source, "c"));
      write("d.yaml", service("d", 80));
      Await.until(
          "d.yaml, written after the Error", Duration.ofSeconds(20), () -> hasService(source, "d"));
    } finally {
      source.close();
    }
  }

  private static boolean hasService(ManifestSource source, String name) {
    return source.snapshot().service(new ObjectKey("default", name)) != null;
  }

  private static int port(ManifestSource source, String name) {
    Service service = source.snapshot().service(new ObjectKey("default", name));
    return service.getSpec().getPorts().get(0).getPort();
  }

  /** Writes a file with a modification time of its own, so that every write is seen as a change. */
  private void write(String file, String text) throws IOException {
    Path path = folder.resolve(file);
    Files.writeString(path, text);
    clock += 1000;
    Files.setLastModifiedTime(path, FileTime.fromMillis(clock));
  }

  private static String service(String name, int port) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: default}
        spec: {ports: [{port: %d}]}
        """
        .formatted(name, port);
  }
}
