package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * What became of each annotation of one Ingress under Portico's two prefixes: honoured, ignored
 * (with the reason), refused (with the reason) or unknown. It feeds the findings, Events, {@code
 * /routes}, {@code explain}, the {@code portico_ingress_annotations} metric and {@code portico
 * audit}.
 *
 * @param entries one per annotation key, sorted by key
 */
public record AnnotationVerdict(List<Entry> entries) {

  /** An Ingress without annotations under either prefix. */
  public static final AnnotationVerdict NONE = new AnnotationVerdict(List.of());

  /** The label of the metric for every annotation the catalogue does not know. */
  public static final String UNKNOWN_LABEL = "unknown";

  /** What became of one annotation. */
  public enum State {
    /** A family read it, and it has an effect. */
    HONOURED,
    /** It has no effect; the reason says why. */
    IGNORED,
    /** It refuses the Ingress: Portico does not serve it. */
    REFUSED,
    /** Neither Portico nor ingress-nginx knows the name: a typo, most likely. */
    UNKNOWN;

    /** The state in lower case, as JSON and reports show it. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One annotation as written.
   *
   * @param key the full key, e.g. {@code nginx.ingress.kubernetes.io/auth-url}
   * @param name the name without its prefix
   * @param state what became of it
   * @param detail the family that honours it, or why it is ignored, refused or unknown
   */
  public record Entry(String key, String name, State state, String detail) {

    public Entry {
      requireNonNull(key, "key");
      requireNonNull(name, "name");
      requireNonNull(state, "state");
      requireNonNull(detail, "detail");
    }

    /**
     * The {@code annotation} label of the metric: the name, or {@link #UNKNOWN_LABEL} for a name
     * the catalogue does not know, so that label values come only from the catalogue.
     */
    public String metricName() {
      return state == State.UNKNOWN ? UNKNOWN_LABEL : name;
    }

    /** The {@code state} label of the metric: unknown annotations count as ignored. */
    public String metricState() {
      return state == State.UNKNOWN ? State.IGNORED.label() : state.label();
    }
  }

  public AnnotationVerdict {
    entries = List.copyOf(entries);
  }

  /** Whether the Ingress is refused: at least one annotation refuses it. */
  public boolean refused() {
    for (Entry entry : entries) {
      if (entry.state() == State.REFUSED) {
        return true;
      }
    }
    return false;
  }

  /** The entries in {@code state}, in key order. */
  public List<Entry> in(State state) {
    return entries.stream().filter(e -> e.state() == state).toList();
  }
}
