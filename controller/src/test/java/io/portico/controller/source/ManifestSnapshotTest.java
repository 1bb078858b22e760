package io.portico.controller.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.Kinds;
import io.portico.controller.snapshot.ObjectKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folder's snapshot is kept up to date one file at a time; it must always hold what reading
 * every file again in name order gives (the last object with a key wins), duplicates and moves
 * between files included.
 */
class ManifestSnapshotTest {

  @TempDir Path folder;

  @Test
  void incrementalSnapshotsEqualAFullReadAfterRandomEdits() throws Exception {
    ManifestSource source = new ManifestSource(folder, new ManifestParser());
    Random random = new Random(3);
    String[] files = {"a.yaml", "b.yaml", "c.yaml", "d.yaml"};
    for (String file : files) {
      Files.writeString(folder.resolve(file), randomObjects(random));
    }
    source.scan();
    assertSameAsFullRead(source);
    for (int round = 0; round < 120; round++) {
      String file = files[random.nextInt(files.length)];
      switch (random.nextInt(5)) {
        case 0 -> Files.deleteIfExists(folder.resolve(file));
        case 1 -> {
          // Two files at once, so one key may move between them in a single scan.
          Files.writeString(folder.resolve(file), randomObjects(random));
          Files.writeString(
              folder.resolve(files[random.nextInt(files.length)]), randomObjects(random));
        }
        default -> Files.writeString(folder.resolve(file), randomObjects(random));
      }
      // Same size and modification time would hide a change from the scan.
      for (int f = 0; f < files.length; f++) {
        Path path = folder.resolve(files[f]);
        if (Files.exists(path)) {
          Files.setLastModifiedTime(
              path, FileTime.fromMillis(1_700_000_000_000L + 10L * round + f));
        }
      }
      source.scan();
      assertSameAsFullRead(source);
    }
  }

  private void assertSameAsFullRead(ManifestSource source) throws Exception {
    List<HasMetadata> all = new ArrayList<>();
    List<Path> paths;
    try (Stream<Path> listing = Files.list(folder)) {
      paths = listing.sorted(Comparator.naturalOrder()).toList();
    }
    for (Path path : paths) {
      all.addAll(new ManifestParser().parse(path.toString(), Files.readString(path)));
    }
    ClusterSnapshot expected = ClusterSnapshot.of(all);
    ClusterSnapshot actual = source.snapshot();
    assertEquals(
        describe(expected.ingresses()), describe(actual.ingresses()), "ingresses of " + paths);
    for (HasMetadata object : all) {
      ObjectKey key = ObjectKey.of(object);
      if (object instanceof Service) {
        assertEquals(text(expected.service(key)), text(actual.service(key)), key.toString());
      } else if (object instanceof Secret) {
        assertEquals(text(expected.secret(key)), text(actual.secret(key)), key.toString());
      } else if (object instanceof EndpointSlice slice) {
        ObjectKey service =
            new ObjectKey(
                key.namespace(),
                slice.getMetadata().getLabels().get(ClusterSnapshot.SERVICE_NAME_LABEL));
        assertEquals(
            describe(expected.endpointSlices(service)),
            describe(actual.endpointSlices(service)),
            service.toString());
      }
    }
  }

  @Test
  void objectsOfUnchangedFilesStayTheSameObjects() throws Exception {
    ManifestSource source = new ManifestSource(folder, new ManifestParser());
    Files.writeString(folder.resolve("a.yaml"), ingress("a", 1));
    Files.writeString(folder.resolve("b.yaml"), ingress("b", 1));
    source.scan();
    Ingress a = find(source.snapshot().ingresses(), new ObjectKey("default", "a"));
    Files.writeString(folder.resolve("b.yaml"), ingress("b", 22));
    source.scan();
    assertSame(a, find(source.snapshot().ingresses(), new ObjectKey("default", "a")));
    assertEquals(2, source.snapshot().ingresses().size());
  }

  @Test
  void aFileReadAgainChangesTheVersionsOfWhatChangedOnly() throws Exception {
    ManifestSource source = new ManifestSource(folder, new ManifestParser());
    Files.writeString(folder.resolve("a.yaml"), ingress("a", 1) + "---\n" + ingress("b", 1));
    source.scan();
    ClusterSnapshot before = source.snapshot();
    Ingress a = find(before.ingresses(), new ObjectKey("default", "a"));
    Ingress b = find(before.ingresses(), new ObjectKey("default", "b"));

    Files.writeString(folder.resolve("a.yaml"), ingress("a", 1) + "---\n" + ingress("b", 22));
    source.scan();
    ClusterSnapshot after = source.snapshot();
    Ingress a2 = find(after.ingresses(), new ObjectKey("default", "a"));
    Ingress b2 = find(after.ingresses(), new ObjectKey("default", "b"));
    assertNotSame(a, a2, "the file was parsed again");
    assertEquals(a.getMetadata().getUid(), a2.getMetadata().getUid());
    assertEquals(a.getMetadata().getResourceVersion(), a2.getMetadata().getResourceVersion());
    assertEquals(b.getMetadata().getUid(), b2.getMetadata().getUid());
    assertNotEquals(b.getMetadata().getResourceVersion(), b2.getMetadata().getResourceVersion());
    assertEquals(Set.of(new ObjectKey("default", "b")), after.changedSince(Kinds.INGRESS, before));
  }

  @Test
  void aResourceVersionWrittenInAFileIsNotTrusted() throws Exception {
    ManifestSource source = new ManifestSource(folder, new ManifestParser());
    String stale = "metadata: {resourceVersion: \"7\", uid: copied, ";
    Files.writeString(folder.resolve("a.yaml"), ingress("a", 1).replace("metadata: {", stale));
    source.scan();
    ClusterSnapshot before = source.snapshot();
    Files.writeString(folder.resolve("a.yaml"), ingress("a", 22).replace("metadata: {", stale));
    Files.setLastModifiedTime(folder.resolve("a.yaml"), FileTime.fromMillis(1_700_000_000_000L));
    source.scan();
    assertEquals(
        Set.of(new ObjectKey("default", "a")),
        source.snapshot().changedSince(Kinds.INGRESS, before),
        "the content changed, the written resourceVersion did not");
  }

  private static String ingress(String name, int version) {
    return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: %s, namespace: default, labels: {v: \"%d\"}}\n"
        .formatted(name, version);
  }

  private static Ingress find(List<Ingress> ingresses, ObjectKey key) {
    return ingresses.stream().filter(i -> ObjectKey.of(i).equals(key)).findFirst().orElseThrow();
  }

  private static List<String> describe(List<? extends HasMetadata> objects) {
    return objects.stream().map(ManifestSnapshotTest::text).sorted().toList();
  }

  /** Key and content: the parser gives equal objects for equal text. */
  private static String text(HasMetadata object) {
    return object == null ? "none" : ObjectKey.of(object) + " " + object;
  }

  /** A few objects from a small pool of names, so files often define the same keys. */
  private static String randomObjects(Random random) {
    StringBuilder out = new StringBuilder();
    for (int i = random.nextInt(4); i >= 0; i--) {
      int n = random.nextInt(4);
      int version = random.nextInt(1000);
      switch (random.nextInt(4)) {
        case 0 ->
            out.append(
                """
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: ing-%d, namespace: default, labels: {v: "%d"}}
                spec: {ingressClassName: portico}
                """
                    .formatted(n, version));
        case 1 ->
            out.append(
                """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: svc-%d, namespace: default, labels: {v: "%d"}}
                spec: {ports: [{port: 80}]}
                """
                    .formatted(n, version));
        case 2 ->
            out.append(
                """
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: slice-%d, namespace: default, labels: {kubernetes.io/service-name: svc-%d, v: "%d"}}
                addressType: IPv4
                endpoints: [{addresses: [10.0.0.1]}]
                """
                    .formatted(n, random.nextInt(2), version));
        default ->
            out.append(
                """
                ---
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Secret
                  metadata: {name: tls-%d, namespace: default, labels: {v: "%d"}}
                  type: kubernetes.io/tls
                """
                    .formatted(n, version));
      }
    }
    return out.toString();
  }
}
