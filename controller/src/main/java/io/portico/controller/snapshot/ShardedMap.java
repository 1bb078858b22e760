package io.portico.controller.snapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An immutable map split into a fixed number of hash shards, so that a new version with a few
 * entries changed shares every untouched shard with the old one: a change to one entry copies one
 * shard, about 1/64 of the entries, instead of all of them.
 *
 * <p>{@link Builder} is the mutable side: it starts from a map (or nothing), copies a shard the
 * first time it changes it after a {@link Builder#build()}, and may go on after building.
 */
final class ShardedMap<K, V> {

  private static final int SHARDS = 64;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final ShardedMap EMPTY = new ShardedMap(new Map[SHARDS], 0);

  // Never modified once this map exists; null stands for an empty shard.
  private final Map<K, V>[] shards;
  private final int size;

  private ShardedMap(Map<K, V>[] shards, int size) {
    this.shards = shards;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  static <K, V> ShardedMap<K, V> empty() {
    return EMPTY;
  }

  @Nullable V get(Object key) {
    Map<K, V> shard = shards[shard(key)];
    return shard == null ? null : shard.get(key);
  }

  int size() {
    return size;
  }

  /** The values, in no particular order. */
  List<V> values() {
    List<V> values = new ArrayList<>(size);
    for (Map<K, V> shard : shards) {
      if (shard != null) {
        values.addAll(shard.values());
      }
    }
    return values;
  }

  /**
   * Calls {@code action} with each key whose value differs between {@code before} and {@code
   * after}, added and removed keys included; values differ when {@code same} says they do not hold
   * the same thing. Shards the two share are skipped unread, so for maps derived from one another
   * this costs in proportion to what changed.
   */
  static <K, V> void forEachChange(
      ShardedMap<K, V> before,
      ShardedMap<K, V> after,
      BiPredicate<? super V, ? super V> same,
      Consumer<K> action) {
    for (int i = 0; i < SHARDS; i++) {
      Map<K, V> a = before.shards[i];
      Map<K, V> b = after.shards[i];
      if (a == b) {
        continue;
      }
      if (a != null) {
        for (Map.Entry<K, V> entry : a.entrySet()) {
          if (b == null || !same.test(entry.getValue(), b.get(entry.getKey()))) {
            action.accept(entry.getKey());
          }
        }
      }
      if (b != null) {
        for (K key : b.keySet()) {
          if (a == null || !a.containsKey(key)) {
            action.accept(key);
          }
        }
      }
    }
  }

  Builder<K, V> toBuilder() {
    return new Builder<>(shards.clone(), size);
  }

  private static int shard(Object key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16) ^ (h >>> 8)) & (SHARDS - 1);
  }

  static final class Builder<K, V> {
    private final Map<K, V>[] shards;
    private final boolean[] owned = new boolean[SHARDS];
    private int size;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Builder() {
      this(new Map[SHARDS], 0);
    }

    private Builder(Map<K, V>[] shards, int size) {
      this.shards = shards;
      this.size = size;
    }

    @Nullable V get(Object key) {
      Map<K, V> shard = shards[shard(key)];
      return shard == null ? null : shard.get(key);
    }

    @Nullable V put(K key, V value) {
      V old = writable(shard(key)).put(key, value);
      if (old == null) {
        size++;
      }
      return old;
    }

    @Nullable V remove(K key) {
      int index = shard(key);
      if (shards[index] == null || !shards[index].containsKey(key)) {
        return null;
      }
      V old = writable(index).remove(key);
      size--;
      return old;
    }

    /** An immutable map of the entries now; later changes to this builder do not affect it. */
    ShardedMap<K, V> build() {
      Arrays.fill(owned, false);
      return new ShardedMap<>(shards.clone(), size);
    }

    private Map<K, V> writable(int index) {
      Map<K, V> shard = shards[index];
      if (!owned[index]) {
        shard = shard == null ? new HashMap<>() : new HashMap<>(shard);
        shards[index] = shard;
        owned[index] = true;
      }
      return shard;
    }
  }
}
