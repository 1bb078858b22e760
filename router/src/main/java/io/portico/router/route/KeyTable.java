package io.portico.router.route;

import org.jspecify.annotations.Nullable;

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

  private static final KeyTable EMPTY = new KeyTable(new long[2], new Object[4], 63, 0);

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
  @Nullable Object get(String text, int offset, int length, int hash, int kind) {
    return get(slots, entries, shift, text, offset, length, hash, kind);
  }

  /** The value of the whole of {@code key} of this kind, or {@code null}. */
  @Nullable Object get(String key, int kind) {
    return get(key, 0, key.length(), key.hashCode(), kind);
  }

  /**
   * {@link #get(String, int, int, int, int)} on a table's arrays, for holders that keep them in
   * their own fields to spare a lookup one dependent load.
   */
  static @Nullable Object get(
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

  /** Calls {@code action} with every value, in no particular order. */
  void forEachValue(java.util.function.Consumer<Object> action) {
    for (int i = 1; i < entries.length; i += 2) {
      if (entries[i] != null) {
        action.accept(entries[i]);
      }
    }
  }

  /** An editor that starts from this table; the table itself never changes. */
  Editor edit() {
    return new Editor(this);
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
    private final Editor editor = new Editor(EMPTY);

    Builder put(String key, int kind, Object value) {
      editor.putIfAbsent(key, kind, value);
      return this;
    }

    KeyTable build() {
      return editor.build();
    }
  }

  /**
   * Changes a copy of a table: the arrays are copied once, on the first change, and keys keep their
   * places (no key is hashed again), so editing a few keys of a large table costs a copy of its
   * arrays. Removal shifts the following entries back, so no tombstones accumulate; the arrays
   * double when more than half full.
   */
  static final class Editor {
    private long[] slots;
    private Object[] entries;
    private int shift;
    private int size;
    private boolean owned;

    private Editor(KeyTable from) {
      this.slots = from.slots;
      this.entries = from.entries;
      this.shift = from.shift;
      this.size = from.size;
    }

    @Nullable Object get(String key, int kind) {
      return KeyTable.get(slots, entries, shift, key, 0, key.length(), key.hashCode(), kind);
    }

    /** Sets the value of a key, adding the key when it is new. */
    void put(String key, int kind, Object value) {
      int found = find(key, kind);
      own();
      if (found >= 0) {
        entries[2 * found + 1] = value;
        return;
      }
      insert(key.hashCode(), kind, key.toCharArray(), value);
    }

    void putIfAbsent(String key, int kind, Object value) {
      if (find(key, kind) < 0) {
        own();
        insert(key.hashCode(), kind, key.toCharArray(), value);
      }
    }

    void remove(String key, int kind) {
      int i = find(key, kind);
      if (i < 0) {
        return;
      }
      own();
      int mask = slots.length - 1;
      slots[i] = 0;
      entries[2 * i] = null;
      entries[2 * i + 1] = null;
      size--;
      // Knuth's algorithm R: move back each following entry whose home slot is not in (i, j].
      int j = i;
      while (true) {
        j = (j + 1) & mask;
        long word = slots[j];
        if (word == 0) {
          return;
        }
        int home = index((int) (word >>> 32), shift);
        boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
          slots[i] = word;
          entries[2 * i] = entries[2 * j];
          entries[2 * i + 1] = entries[2 * j + 1];
          slots[j] = 0;
          entries[2 * j] = null;
          entries[2 * j + 1] = null;
          i = j;
        }
      }
    }

    KeyTable build() {
      owned = false;
      return new KeyTable(slots, entries, shift, size);
    }

    private int find(String key, int kind) {
      int hash = key.hashCode();
      long wanted = slotWord(hash, kind);
      int mask = slots.length - 1;
      for (int i = index(hash, shift); slots[i] != 0; i = (i + 1) & mask) {
        if (slots[i] == wanted) {
          char[] chars = (char[]) entries[2 * i];
          if (chars.length == key.length() && sameChars(chars, key, 0)) {
            return i;
          }
        }
      }
      return -1;
    }

    private void own() {
      if (!owned) {
        slots = slots.clone();
        entries = entries.clone();
        owned = true;
      }
    }

    private void insert(int hash, int kind, char[] key, Object value) {
      if (2 * (size + 1) > slots.length) {
        grow();
      }
      int mask = slots.length - 1;
      int i = index(hash, shift);
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = slotWord(hash, kind);
      entries[2 * i] = key;
      entries[2 * i + 1] = value;
      size++;
    }

    private void grow() {
      long[] oldSlots = slots;
      Object[] oldEntries = entries;
      slots = new long[oldSlots.length * 2];
      entries = new Object[oldEntries.length * 2];
      shift--;
      int mask = slots.length - 1;
      for (int o = 0; o < oldSlots.length; o++) {
        long word = oldSlots[o];
        if (word != 0) {
          int i = index((int) (word >>> 32), shift);
          while (slots[i] != 0) {
            i = (i + 1) & mask;
          }
          slots[i] = word;
          entries[2 * i] = oldEntries[2 * o];
          entries[2 * i + 1] = oldEntries[2 * o + 1];
        }
      }
    }
  }
}
