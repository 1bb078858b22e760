package io.portico.controller.source;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectVersions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster state from a folder of manifests: every {@code *.yaml}, {@code *.yml} and {@code *.json}
 * file in the folder (not below it; names starting with {@code .} are ignored, as are editor
 * backups ending in {@code ~}).
 *
 * <p>Files are re-read when they change: the folder is watched (inotify on Linux) and also polled
 * every second, which catches what a watch can miss (a ConfigMap volume swapping a symlink). A file
 * that fails to parse is reported with its path, line and the parser's message, and the objects
 * last read from it stay in force, so a typo never drops what was serving. A file whose reading
 * throws is treated the same way; whatever else a scan throws, Errors included, the changes read
 * before it are published and the folder stays watched.
 *
 * <p>A changed file is parsed into new objects; nothing handed out is modified (the rule of the
 * {@linkplain io.portico.controller.snapshot snapshot package}). Each object gets a synthetic uid
 * and resourceVersion as it is read ({@link ObjectVersions#assignSynthetic}): the same uid for the
 * same kind, namespace and name, and a resourceVersion that changes with its content, so an object
 * whose file changed elsewhere is still recognised as the same version.
 */
public final class ManifestSource implements StateSource {

  private static final Logger LOG = LoggerFactory.getLogger(ManifestSource.class);
  private static final long POLL_MILLIS = 1000;
  private static final long COALESCE_MILLIS = 10;

  private record FileState(
      FileTime modified, long size, List<HasMetadata> objects, @Nullable String error) {}

  /** Reads the objects of one file: {@link ManifestParser#parse}, or a test's stand-in. */
  @FunctionalInterface
  interface Reader {
    List<HasMetadata> parse(String source, String text) throws ManifestException;
  }

  private final Path directory;
  private final Reader parser;
  // Told of changes once started; before that, scans only update the snapshot.
  private volatile ChangeListener listener = ChangeListener.NONE;
  private final Map<Path, FileState> files = new TreeMap<>();
  // The objects of every file, kept up to date one file at a time (see apply).
  private ClusterSnapshot.Builder objects = ClusterSnapshot.builder();
  // How many objects of all files have each snapshot key: more than one is a duplicate.
  private final Map<Object, Integer> definitions = new HashMap<>();
  private volatile ClusterSnapshot snapshot = ClusterSnapshot.of(List.of());
  private @Nullable WatchService watcher;
  private @Nullable Thread thread;
  // The last scan failure logged, so that one that repeats every poll is logged once.
  private @Nullable String lastFailure;

  public ManifestSource(Path directory, ManifestParser parser) {
    this(directory, requireNonNull(parser, "parser")::parse);
  }

  ManifestSource(Path directory, Reader parser) {
    this.directory = requireNonNull(directory, "directory");
    this.parser = requireNonNull(parser, "parser");
  }

  /**
   * Reads the folder once, then watches it on a background thread, telling {@code changes} (on that
   * thread) after each change to the objects, the file events of one save settled.
   *
   * @throws IOException when the folder cannot be read at all
   */
  @Override
  public void start(ChangeListener changes) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new NoSuchFileException(directory.toString(), null, "not a directory");
    }
    this.listener = requireNonNull(changes, "changes");
    scan();
    watcher = FileSystems.getDefault().newWatchService();
    directory.register(
        watcher,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    thread = new Thread(this::watch, "portico-manifests");
    thread.setDaemon(true);
    thread.start();
  }

  /** The objects of every file as last read successfully. */
  @Override
  public ClusterSnapshot snapshot() {
    return snapshot;
  }

  /** Always ready once started: a file that fails to parse keeps its last good objects. */
  @Override
  public @Nullable String notReadyReason() {
    return null;
  }

  /** The names of the files currently read, successfully or not. */
  public synchronized java.util.Set<String> files() {
    java.util.Set<String> names = new java.util.TreeSet<>();
    files.keySet().forEach(path -> names.add(path.getFileName().toString()));
    return names;
  }

  /** The files that currently fail to parse, with the reason; empty when all are fine. */
  public synchronized Map<Path, String> errors() {
    Map<Path, String> errors = new LinkedHashMap<>();
    files.forEach(
        (path, state) -> {
          if (state.error() != null) {
            errors.put(path, state.error());
          }
        });
    return errors;
  }

  private void watch() {
    requireNonNull(watcher, "watcher");
    while (!Thread.currentThread().isInterrupted()) {
      try {
        WatchKey key = watcher.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (key != null) {
          drain(key);
          // Editors write a file in several steps: let them finish before reading.
          WatchKey more;
          while ((more = watcher.poll(COALESCE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
            drain(more);
          }
        }
        scan();
        lastFailure = null;
      } catch (InterruptedException | ClosedWatchServiceException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable e) {
        // Whatever a scan throws, Errors included, the folder stays watched: the changes read
        // before it are published (see scan), and the next poll tries again.
        scanFailed(e);
      }
    }
  }

  private void scanFailed(Throwable e) {
    String failure = e.toString();
    if (failure.equals(lastFailure)) {
      LOG.debug("event=manifest_scan_failed directory={} error=\"{}\"", directory, failure);
      return;
    }
    lastFailure = failure;
    if (e instanceof Error) {
      LOG.error(
          "event=manifest_scan_failed directory={} error=\"{}\" (the folder stays watched)",
          directory,
          failure,
          e);
    } else {
      LOG.warn("event=manifest_scan_failed directory={} error=\"{}\"", directory, failure);
    }
  }

  private static void drain(WatchKey key) {
    key.pollEvents();
    key.reset();
  }

  /**
   * Reads new and changed files; returns after notifying when anything changed. When reading throws
   * part way, the changes read before are published all the same: the files they came from are
   * recorded as read, and would not be read again.
   */
  synchronized void scan() throws IOException {
    Map<Path, BasicFileAttributes> present = new TreeMap<>();
    try (Stream<Path> listing = Files.list(directory)) {
      for (Path path : (Iterable<Path>) listing::iterator) {
        if (isManifest(path)) {
          try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (attributes.isRegularFile()) {
              present.put(path, attributes);
            }
          } catch (NoSuchFileException gone) {
            // Removed while listing: the next scan settles it.
          }
        }
      }
    }
    List<Change> changes = new ArrayList<>();
    try {
      for (Path path : List.copyOf(files.keySet())) {
        if (!present.containsKey(path)) {
          FileState gone = requireNonNull(files.remove(path), "gone");
          LOG.info("event=manifest_removed file={} objects={}", path, gone.objects().size());
          changes.add(new Change(gone.objects(), List.of()));
        }
      }
      for (Map.Entry<Path, BasicFileAttributes> entry : present.entrySet()) {
        FileState before = files.get(entry.getKey());
        if (read(entry.getKey(), entry.getValue())) {
          changes.add(
              new Change(
                  before == null ? List.of() : before.objects(),
                  requireNonNull(files.get(entry.getKey()), "read").objects()));
        }
      }
    } finally {
      if (!changes.isEmpty()) {
        apply(changes);
        snapshot = objects.build();
        listener.changedSettled("manifests changed");
      }
    }
  }

  /** The objects of one file before and after it changed (empty when it appeared or went). */
  private record Change(List<HasMetadata> before, List<HasMetadata> after) {}

  /**
   * Brings the snapshot's objects up to date: each changed file's old objects out, its new ones in,
   * which touches only their shards. That equals reading every file again in name order (where the
   * last object with a key wins) unless the same key is defined twice or touched by two changes at
   * once; then it does read them all again.
   */
  private void apply(List<Change> changes) {
    boolean ambiguous = false;
    Map<Object, Integer> touchedBy = new HashMap<>();
    for (int c = 0; c < changes.size(); c++) {
      for (HasMetadata object : flatten(changes.get(c).before())) {
        Object key = ClusterSnapshot.key(object);
        if (key != null) {
          ambiguous |= touchedBy.merge(key, c, (a, b) -> a.equals(b) ? a : -1) < 0;
          ambiguous |= definitions.merge(key, -1, Integer::sum) > 0;
          definitions.remove(key, 0);
        }
      }
      for (HasMetadata object : flatten(changes.get(c).after())) {
        Object key = ClusterSnapshot.key(object);
        if (key != null) {
          ambiguous |= touchedBy.merge(key, c, (a, b) -> a.equals(b) ? a : -1) < 0;
          ambiguous |= definitions.merge(key, 1, Integer::sum) > 1;
        }
      }
    }
    if (ambiguous) {
      objects = ClusterSnapshot.builder();
      files.values().forEach(state -> state.objects().forEach(objects::add));
      return;
    }
    for (Change change : changes) {
      change.before().forEach(objects::remove);
      change.after().forEach(objects::add);
    }
  }

  private static List<HasMetadata> flatten(List<HasMetadata> objects) {
    List<HasMetadata> flat = new ArrayList<>(objects.size());
    for (HasMetadata object : objects) {
      if (object instanceof KubernetesList list) {
        flat.addAll(flatten(list.getItems()));
      } else {
        flat.add(object);
      }
    }
    return flat;
  }

  private boolean read(Path path, BasicFileAttributes attributes) {
    FileState previous = files.get(path);
    if (previous != null
        && previous.modified().equals(attributes.lastModifiedTime())
        && previous.size() == attributes.size()) {
      return false;
    }
    List<HasMetadata> kept = previous == null ? List.of() : previous.objects();
    try {
      String text = Files.readString(path, StandardCharsets.UTF_8);
      List<HasMetadata> objects = parser.parse(path.toString(), text);
      flatten(objects).forEach(ObjectVersions::assignSynthetic);
      files.put(
          path, new FileState(attributes.lastModifiedTime(), attributes.size(), objects, null));
      LOG.info("event=manifest_loaded file={} objects={}", path, objects.size());
      return true;
    } catch (ManifestException e) {
      if (previous == null || !Objects.equals(e.getMessage(), previous.error())) {
        LOG.warn(
            "event=manifest_invalid error=\"{}\" kept_objects={} (the objects last read from this file stay in force)",
            e.getMessage(),
            kept.size());
      }
      files.put(
          path,
          new FileState(attributes.lastModifiedTime(), attributes.size(), kept, e.getMessage()));
      return false;
    } catch (IOException e) {
      LOG.warn("event=manifest_unreadable file={} error=\"{}\"", path, e.toString());
      return false;
    } catch (RuntimeException e) {
      // A reader bug, not a typo: this file fails as a typo would (its last objects stay, it is
      // read again when it changes), and the other files of the scan are read all the same.
      String error = path + ": could not be read (" + e + ")";
      if (previous == null || !error.equals(previous.error())) {
        LOG.warn(
            "event=manifest_read_failed file={} error=\"{}\" kept_objects={}",
            path,
            e.toString(),
            kept.size());
      }
      files.put(path, new FileState(attributes.lastModifiedTime(), attributes.size(), kept, error));
      return false;
    }
  }

  private static boolean isManifest(Path path) {
    String name = path.getFileName().toString();
    if (name.startsWith(".") || name.endsWith("~")) {
      return false;
    }
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
    }
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        LOG.debug("event=watch_close_failed error=\"{}\"", e.toString());
      }
    }
  }
}
