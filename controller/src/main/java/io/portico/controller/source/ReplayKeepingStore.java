package io.portico.controller.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.portico.controller.snapshot.ObjectVersions;
import java.util.stream.Stream;

/**
 * An informer's item store that keeps the copy it has when the same version of an object arrives
 * again.
 *
 * <p>A relist (after a watch expired with 410 Gone, or after an outage) and a watch that starts
 * over from the beginning (fabric8's mock API server does this at every watch) deliver every object
 * again, unchanged: same uid, same resourceVersion, but new Java objects. fabric8's own store swaps
 * in the new copy and, the version being the same, tells no handler. The snapshot then still holds
 * the first copy, so each object was held twice until it next changed. Keeping the first copy costs
 * nothing: the two are the same version ({@link ObjectVersions#same}, by the rule of the
 * {@linkplain io.portico.controller.snapshot snapshot package}), and that copy has already been
 * trimmed ({@link MetadataTrim}).
 */
final class ReplayKeepingStore<T extends HasMetadata> implements ItemStore<T> {

  private final BasicItemStore<T> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

  @Override
  public String getKey(T object) {
    return items.getKey(object);
  }

  @Override
  public T put(String key, T object) {
    T existing = items.get(key);
    if (existing != null && existing != object && ObjectVersions.same(existing, object)) {
      return existing;
    }
    return items.put(key, object);
  }

  @Override
  public T remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet();
  }

  @Override
  public Stream<T> values() {
    return items.values();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public T get(String key) {
    return items.get(key);
  }
}
