package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Header changes in the order policies made them, applied in that order to the headers they are
 * for. Names must be tokens and values may not hold CR, LF or NUL (RFC 9110, section 5), so no
 * policy can split a header block, whatever its input. Not thread-safe: filled by one request's
 * policies, read when its head is written.
 */
public final class HeaderEdits {

  private enum Kind {
    SET,
    ADD,
    REMOVE
  }

  private record Edit(
      Kind kind, String name, @Nullable String value, @Nullable Set<Integer> statuses) {
    Edit(Kind kind, String name, @Nullable String value) {
      this(kind, name, value, null);
    }
  }

  private final List<Edit> edits = new ArrayList<>(4);

  /** Replaces every value of {@code name} with {@code value}. */
  public void set(String name, String value) {
    edits.add(new Edit(Kind.SET, checkName(name), checkValue(name, value)));
  }

  /** Adds a value to {@code name}. */
  public void add(String name, String value) {
    edits.add(new Edit(Kind.ADD, checkName(name), checkValue(name, value)));
  }

  /**
   * Adds a value to {@code name} when the response's status is one of {@code statuses}; applied
   * only to a {@link ResponseHead}.
   */
  public void addIf(Set<Integer> statuses, String name, String value) {
    edits.add(
        new Edit(
            Kind.ADD,
            checkName(name),
            checkValue(name, value),
            Set.copyOf(requireNonNull(statuses, "statuses"))));
  }

  /** Removes every value of {@code name}. */
  public void remove(String name) {
    edits.add(new Edit(Kind.REMOVE, checkName(name), null));
  }

  public boolean isEmpty() {
    return edits.isEmpty();
  }

  /** Makes the changes to {@code target}, in the order they were asked for. */
  public void applyTo(HeaderTarget target) {
    for (Edit edit : edits) {
      if (edit.statuses != null
          && !(target instanceof ResponseHead head && edit.statuses.contains(head.status()))) {
        continue;
      }
      switch (edit.kind) {
        case SET -> target.set(edit.name, requireNonNull(edit.value, "value"));
        case ADD -> target.add(edit.name, requireNonNull(edit.value, "value"));
        case REMOVE -> target.remove(edit.name);
      }
    }
  }

  static String checkName(String name) {
    requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("header name: \"\" (expected: a token)");
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isTokenChar(name.charAt(i))) {
        throw new IllegalArgumentException("header name: " + name + " (expected: a token)");
      }
    }
    return name;
  }

  static String checkValue(String name, String value) {
    requireNonNull(value, "value");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException(
            "header " + name + ": a value with CR, LF or NUL (expected: none of them)");
      }
    }
    return value;
  }

  private static boolean isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
