package io.portico.controller.source;

import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

class ReplayKeepingStoreTest {

  private final ReplayKeepingStore<Service> store = new ReplayKeepingStore<>();

  private static Service service(String uid, String resourceVersion) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName("svc")
        .withUid(uid)
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .build();
  }

  private Service putAndGet(Service service) {
    store.put(store.getKey(service), service);
    return store.get("default/svc");
  }

  @Test
  void keepsTheCopyItHasWhenTheSameVersionArrivesAgain() {
    Service first = service("u1", "7");
    putAndGet(first);
    assertSame(first, store.put("default/svc", service("u1", "7")), "put answers the kept copy");
    assertSame(first, store.get("default/svc"));
  }

  @Test
  void takesANewVersion() {
    putAndGet(service("u1", "7"));
    Service next = service("u1", "8");
    assertSame(next, putAndGet(next));
  }

  @Test
  void takesAnObjectRecreatedUnderTheSameName() {
    putAndGet(service("u1", "7"));
    Service recreated = service("u2", "7");
    assertSame(recreated, putAndGet(recreated));
  }

  @Test
  void takesObjectsWithoutAVersion() {
    putAndGet(service("u1", null));
    Service again = service("u1", null);
    assertSame(again, putAndGet(again));
  }
}
