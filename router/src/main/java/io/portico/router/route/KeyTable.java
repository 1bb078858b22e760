package io.portico.router.route;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable hash table from text keys, each with a small kind number, to values, looked up by a
 * range of a string without copying it: a host name, the domain after a host's first label, or a
 * path prefix up to a segment end. The caller passes the range's hash ({@link #hash}, the same
 * function as {@link String#hashCode()}), which for path prefixes it computes while scanning.
 *
 * <p>Flat on purpose: open addressing with linear probing over one {@code long[]} of hashes and
 * kinds, and one {@code Object[]} holding each key's characters next to its value, at most half
 * full. A lookup reads the hash word first and touches a key only when hash and kind both agree, so
 * a miss usually costs one cache line, and a hit two more (the key's characters and, for the
 * caller, the value).
 */
final class KeyTable {

  private static final KeyTable EMPTY = new Builder().build();

  private final long[] slots;
  private final Object[] entries;
  private final int shift;
  private final int size;

  private KeyTable(long[] slots, Object[] entries, int shift, int size) {
    this.slots = slots;
    this.entries = entries;
    this.shift = shift;
    this.size = size;
  }

  static KeyTable empty() {
    return EMPTY;
  }

  static Builder builder() {
    return new Builder();
  }

  /** The hash of {@code text[offset, offset + length)}: {@link String#hashCode()} of that range. */
  static int hash(String text, int offset, int length) {
    int h = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      h = 31 * h + text.charAt(i);
    }
    return h;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /**
   * The value of the key {@code text[offset, offset + length)} of this kind, or {@code null}.
   *
   * @param hash {@link #hash hash(text, offset, length)}
   */
  Object get(String text, int offset, int length, int hash, int kind) {
    return get(slots, entries, shift, text, offset, length, hash, kind);
  }

  /**
   * {@link #get(String, int, int, int, int)} on a table's arrays, for holders that keep them in
   * their own fields to spare a lookup one dependent load.
   */
  static Object get(
      long[] slots,
      Object[] entries,
      int shift,
      String text,
      int offset,
      int length,
      int hash,
      int kind) {
    long wanted = slotWord(hash, kind);
    int mask = slots.length - 1;
    int i = index(hash, shift);
    long word;
    while ((word = slots[i]) != 0) {
      if (word == wanted) {
        char[] key = (char[]) entries[2 * i];
        if (key.length == length && sameChars(key, text, offset)) {
          return entries[2 * i + 1];
        }
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  long[] slots() {
    return slots;
  }

  Object[] entries() {
    return entries;
  }

  int shift() {
    return shift;
  }

  private static boolean sameChars(char[] key, String text, int offset) {
    for (int k = 0; k < key.length; k++) {
      if (key[k] != text.charAt(offset + k)) {
        return false;
      }
    }
    return true;
  }

  private static long slotWord(int hash, int kind) {
    // Bit 0 marks the slot as used, so no key's word is 0.
    return ((long) hash << 32) | ((long) kind << 1) | 1L;
  }

  private static int index(int hash, int shift) {
    // Fibonacci hashing spreads String hashes that differ in low bits only ("h1.", "h2.").
    return (int) ((hash * 0x9E3779B97F4A7C15L) >>> shift);
  }

  /** Collects keys; a key added twice with the same kind keeps its first value. */
  static final class Builder {
    private final List<String> keys = new ArrayList<>();
    private final List<Integer> kinds = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    Builder put(String key, int kind, Object value) {
      keys.add(key);
      kinds.add(kind);
      values.add(value);
      return this;
    }

    KeyTable build() {
      int capacity = 2;
      int bits = 1;
      while (capacity < 2 * keys.size()) {
        capacity <<= 1;
        bits++;
      }
      int shift = 64 - bits;
      long[] slots = new long[capacity];
      Object[] entries = new Object[2 * capacity];
      int size = 0;
      KeyTable partial = new KeyTable(slots, entries, shift, 0);
      for (int k = 0; k < keys.size(); k++) {
        String key = keys.get(k);
        int kind = kinds.get(k);
        int hash = key.hashCode();
        if (partial.get(key, 0, key.length(), hash, kind) != null) {
          continue;
        }
        int i = index(hash, shift);
        while (slots[i] != 0) {
          i = (i + 1) & (capacity - 1);
        }
        slots[i] = slotWord(hash, kind);
        entries[2 * i] = key.toCharArray();
        entries[2 * i + 1] = values.get(k);
        size++;
      }
      return new KeyTable(slots, entries, shift, size);
    }
  }
}
