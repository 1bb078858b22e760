package io.portico.controller.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The controller ConfigMap read into typed values: for each key of {@link ConfigKeys}, the value
 * the ConfigMap sets, or the key's built-in default. Immutable; two configs that give every key the
 * same value are equal, so an edit of the ConfigMap that changes no value changes nothing
 * downstream.
 *
 * <p>Read it with {@link #get}: {@code config.get(ConfigKeys.HSTS_MAX_AGE)}. An annotation that
 * overrides a key is read by its family first; the config is the fallback (precedence: annotation,
 * ConfigMap, built-in default).
 */
public final class ControllerConfig {

  /** Every key at its built-in default: no ConfigMap, or an empty one. */
  public static final ControllerConfig DEFAULTS = new ControllerConfig(Map.of());

  // The keys the ConfigMap sets to a value that reads; keys compare by identity.
  private final Map<ConfigKey<?>, Object> values;

  private ControllerConfig(Map<ConfigKey<?>, Object> values) {
    this.values = Map.copyOf(values);
  }

  /**
   * Reads a ConfigMap's {@code data}. A value that does not read is reported, and the key's {@link
   * ConfigKey#invalidValue()} applies (its default, unless it declares a stricter reading); a key
   * Portico does not read is reported as such.
   *
   * @param findings receives what was noticed, in key order
   */
  public static ControllerConfig read(Map<String, String> data, Consumer<ConfigFinding> findings) {
    requireNonNull(data, "data");
    requireNonNull(findings, "findings");
    Map<ConfigKey<?>, Object> values = new HashMap<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(data).entrySet()) {
      String name = entry.getKey();
      String text = entry.getValue() == null ? "" : entry.getValue();
      Optional<ConfigKey<?>> key = ConfigKeys.byName(name);
      if (key.isEmpty()) {
        findings.accept(
            new ConfigFinding(
                ConfigFinding.Kind.UNKNOWN_KEY,
                name,
                name + ": not a key Portico reads; ignored (see docs/configmap.md)"));
        continue;
      }
      Optional<?> value = key.get().parse(text);
      if (value.isPresent()) {
        values.put(key.get(), value.get());
      } else {
        findings.accept(
            new ConfigFinding(
                ConfigFinding.Kind.INVALID_VALUE, name, invalidMessage(key.get(), text)));
        Object instead = key.get().invalidValue();
        if (!instead.equals(key.get().defaultValue())) {
          values.put(key.get(), instead);
        }
      }
    }
    return new ControllerConfig(values);
  }

  /** The value of {@code key}: the ConfigMap's, else the built-in default. */
  public <T> T get(ConfigKey<T> key) {
    requireNonNull(key, "key");
    Object value = values.get(key);
    @SuppressWarnings("unchecked") // put only by read(), from the key's own parser
    T typed = value == null ? key.defaultValue() : (T) value;
    return typed;
  }

  /** Whether the ConfigMap sets {@code key} to a value that reads. */
  public boolean isSet(ConfigKey<?> key) {
    return values.containsKey(requireNonNull(key, "key"));
  }

  /**
   * This config with the keys that apply {@linkplain ConfigKey.Applies#AT_START at start} taken
   * from {@code atStart}: what is in force while running. Each such key whose value differs is
   * reported: it takes effect at the next start.
   *
   * @param findings receives one {@link ConfigFinding.Kind#RESTART_NEEDED} per differing key
   */
  public ControllerConfig keepingStartValues(
      ControllerConfig atStart, Consumer<ConfigFinding> findings) {
    requireNonNull(atStart, "atStart");
    requireNonNull(findings, "findings");
    Map<ConfigKey<?>, Object> kept = new HashMap<>(values);
    boolean changed = false;
    for (ConfigKey<?> key : ConfigKeys.all()) {
      if (key.applies() != ConfigKey.Applies.AT_START) {
        continue;
      }
      Object now = get(key);
      Object inForce = atStart.get(key);
      if (!now.equals(inForce)) {
        findings.accept(
            new ConfigFinding(
                ConfigFinding.Kind.RESTART_NEEDED,
                key.name(),
                key.name()
                    + ": changed to \""
                    + text(now)
                    + "\"; \""
                    + text(inForce)
                    + "\", read at start, stays in force until Portico restarts"));
      }
      Object startValue = atStart.values.get(key);
      if (!Objects.equals(values.get(key), startValue)) {
        changed = true;
        if (startValue == null) {
          kept.remove(key);
        } else {
          kept.put(key, startValue);
        }
      }
    }
    return changed ? new ControllerConfig(kept) : this;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof ControllerConfig other && values.equals(other.values));
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The keys set, in name order, e.g. {@code {hsts-max-age=600, ssl-redirect=false}}. */
  @Override
  public String toString() {
    Map<String, String> sorted = new TreeMap<>();
    values.forEach((key, value) -> sorted.put(key.name(), text(value)));
    return sorted.toString();
  }

  /** What a text that does not read gives, and why. */
  private static String invalidMessage(ConfigKey<?> key, String text) {
    if (key.invalidValue().equals(key.defaultValue())) {
      return key.invalid(text) + "; the default \"" + key.defaultText() + "\" applies";
    }
    return key.invalid(text)
        + "; \""
        + key.invalidText()
        + "\" applies, as ingress-nginx reads a value it does not know (not the default \""
        + key.defaultText()
        + "\")";
  }

  private static String text(Object value) {
    if (value instanceof List<?> list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    if (value instanceof Duration duration) {
      return Long.toString(duration.toSeconds());
    }
    return String.valueOf(value);
  }
}
