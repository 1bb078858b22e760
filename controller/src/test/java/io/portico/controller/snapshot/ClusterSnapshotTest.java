package io.portico.controller.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.portico.controller.source.ManifestParser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterSnapshotTest {

  private static final ObjectKey APP = new ObjectKey("default", "app");

  private static HasMetadata parse(String yaml) throws Exception {
    return new ManifestParser().parse("test.yaml", yaml).get(0);
  }

  private static Service service(String uid, String resourceVersion) throws Exception {
    return (Service)
        parse(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: app, namespace: default, uid: %s, resourceVersion: "%s"}
            spec: {ports: [{port: 80}]}
            """
                .formatted(uid, resourceVersion));
  }

  private static EndpointSlice slice(String name, String service, String address) throws Exception {
    return (EndpointSlice)
        parse(
            """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: %s, namespace: default, labels: {kubernetes.io/service-name: %s}}
            addressType: IPv4
            endpoints: [{addresses: [%s]}]
            """
                .formatted(name, service, address));
  }

  private static Ingress ingress(String path) throws Exception {
    return (Ingress)
        parse(
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: app, namespace: default}
            spec: {rules: [{http: {paths: [{path: %s, pathType: Prefix,
              backend: {service: {name: app, port: {number: 80}}}}]}}]}
            """
                .formatted(path));
  }

  @Test
  void anotherCopyOfTheSameVersionIsNoChange() throws Exception {
    ClusterSnapshot before = ClusterSnapshot.of(List.of(service("u1", "7")));
    ClusterSnapshot after = before.toBuilder().add(service("u1", "7")).build();
    assertEquals(Set.of(), after.changedSince(Kinds.SERVICE, before));
  }

  @Test
  void anotherResourceVersionOrUidIsAChange() throws Exception {
    ClusterSnapshot before = ClusterSnapshot.of(List.of(service("u1", "7")));
    assertEquals(
        Set.of(APP),
        before.toBuilder().add(service("u1", "8")).build().changedSince(Kinds.SERVICE, before));
    assertEquals(
        Set.of(APP),
        before.toBuilder().add(service("u2", "7")).build().changedSince(Kinds.SERVICE, before));
    assertEquals(
        Set.of(APP),
        before.toBuilder().remove(service("u1", "7")).build().changedSince(Kinds.SERVICE, before));
  }

  @Test
  void groupedKindsChangeByGroup() throws Exception {
    ClusterSnapshot before =
        ClusterSnapshot.of(
            List.of(
                slice("app-b", "app", "10.0.0.2"),
                slice("app-a", "app", "10.0.0.1"),
                slice("other-a", "other", "10.0.0.3")));
    assertEquals(
        List.of("app-a", "app-b"),
        before.group(Kinds.ENDPOINT_SLICE, APP).stream()
            .map(s -> s.getMetadata().getName())
            .toList());
    ClusterSnapshot copies = before.toBuilder().add(slice("app-b", "app", "10.0.0.2")).build();
    assertEquals(Set.of(), copies.changedSince(Kinds.ENDPOINT_SLICE, before));
    ClusterSnapshot moved = before.toBuilder().add(slice("app-b", "app", "10.0.0.9")).build();
    assertEquals(Set.of(APP), moved.changedSince(Kinds.ENDPOINT_SLICE, before));
    assertThrows(IllegalArgumentException.class, () -> before.get(Kinds.ENDPOINT_SLICE, APP));
    assertThrows(IllegalArgumentException.class, () -> before.group(Kinds.SERVICE, APP));
  }

  @Test
  void objectsWithoutAVersionGetASyntheticOneThatFollowsTheirContent() throws Exception {
    Ingress first = ingress("/a");
    ClusterSnapshot before = ClusterSnapshot.of(List.of(first));
    String uid = first.getMetadata().getUid();
    String version = first.getMetadata().getResourceVersion();
    assertFalse(uid == null || uid.isEmpty(), "uid: " + uid);
    assertFalse(version == null || version.isEmpty(), "resourceVersion: " + version);

    Ingress same = ingress("/a");
    ClusterSnapshot again = before.toBuilder().add(same).build();
    assertEquals(uid, same.getMetadata().getUid());
    assertEquals(version, same.getMetadata().getResourceVersion());
    assertEquals(Set.of(), again.changedSince(Kinds.INGRESS, before));

    Ingress edited = ingress("/b");
    ClusterSnapshot changed = before.toBuilder().add(edited).build();
    assertEquals(uid, edited.getMetadata().getUid(), "the same object, so the same uid");
    assertNotEquals(version, edited.getMetadata().getResourceVersion());
    assertEquals(Set.of(APP), changed.changedSince(Kinds.INGRESS, before));
  }

  @Test
  void objectsFromTheApiServerKeepTheirVersion() throws Exception {
    Service service = service("u1", "7");
    ClusterSnapshot.of(List.of(service));
    assertEquals("u1", service.getMetadata().getUid());
    assertEquals("7", service.getMetadata().getResourceVersion());
  }

  @Test
  void onlyRegisteredKindsAreHeld() throws Exception {
    HasMetadata pod =
        parse("apiVersion: v1\nkind: Pod\nmetadata: {name: app, namespace: default}\n");
    assertNull(ClusterSnapshot.key(pod));
    assertNull(
        ClusterSnapshot.key(
            parse(
                "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
                    + "metadata: {name: unlabelled, namespace: default}\naddressType: IPv4\n")));
    ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(pod, service("u1", "7")));
    assertEquals(1, snapshot.all(Kinds.SERVICE).size());
    assertNull(pod.getMetadata().getUid(), "an ignored object is left as it is");
  }

  @Test
  void clusterScopedKindsAreKeyedByName() throws Exception {
    HasMetadata ingressClass =
        parse(
            "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: portico}\n"
                + "spec: {controller: portico.io/ingress-controller}\n");
    ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(ingressClass));
    assertSame(ingressClass, snapshot.get(Kinds.INGRESS_CLASS, ObjectKey.clusterScoped("portico")));
    assertSame(ingressClass, snapshot.ingressClass("portico"));
    assertEquals(
        new ClusterSnapshot.EntryKey(Kinds.INGRESS_CLASS, ObjectKey.clusterScoped("portico"), ""),
        ClusterSnapshot.key(ingressClass));
  }
}
