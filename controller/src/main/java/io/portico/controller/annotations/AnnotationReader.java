package io.portico.controller.annotations;

import static java.util.Objects.requireNonNull;

import io.portico.controller.annotations.AnnotationVerdict.Entry;
import io.portico.controller.annotations.AnnotationVerdict.State;
import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.ConfigKeys.RiskLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the annotations of one Ingress: every {@link AnnotationFamily} reads its part of the {@link
 * IngressPolicy}, and every annotation under {@code portico.io/} or {@code
 * nginx.ingress.kubernetes.io/} gets its fate in the {@link AnnotationVerdict}.
 *
 * <ul>
 *   <li>Honoured: read by its family, unless the family reports it unused (then ignored) or refuses
 *       it.
 *   <li>Ignored in the {@link AnnotationCatalogue}: a notice with the reason.
 *   <li>Refused in the catalogue: the Ingress is refused, with one warning naming every refused
 *       annotation; a snippet is ignored instead, with a warning, under {@link
 *       SnippetAnnotations#IGNORE}; a value that asks for nothing (e.g. {@code "false"}) is only
 *       ignored.
 *   <li>Unknown to the catalogue: a warning, with the nearest known name when one is close.
 *   <li>An {@code nginx.ingress.kubernetes.io/} key whose {@code portico.io/} twin is set: ignored.
 *   <li>Riskier than the ConfigMap's {@code annotations-risk-level} ({@link AnnotationRisk}), under
 *       either prefix: the Ingress is refused, as ingress-nginx refuses it.
 * </ul>
 *
 * Thread-safe and immutable; one reader serves every Ingress of a translator.
 */
public final class AnnotationReader {

  /** Reason of the warning that an Ingress is not served. */
  public static final String REFUSED = "AnnotationRefused";

  /** Reason of the notices about annotations without effect. */
  public static final String IGNORED = "AnnotationIgnored";

  /** Reason of the warning about a snippet left out under {@code --snippet-annotations=ignore}. */
  public static final String SNIPPET_IGNORED = "SnippetIgnored";

  /** Reason of the warning about a name neither Portico nor ingress-nginx knows. */
  public static final String UNKNOWN = "UnknownAnnotation";

  /** Reason of the warning about a value a family cannot use. */
  public static final String INVALID = "InvalidAnnotation";

  private static final String SNIPPETS_IGNORED =
      "served without its nginx configuration text (--snippet-annotations=ignore)";

  private final List<AnnotationFamily> families;
  private final SnippetAnnotations snippets;

  /**
   * @param families the families, in the order they read
   * @param snippets what to do with snippet annotations
   */
  public AnnotationReader(List<AnnotationFamily> families, SnippetAnnotations snippets) {
    this.families = List.copyOf(families);
    this.snippets = requireNonNull(snippets, "snippets");
  }

  /** A reader with {@link AnnotationFamilies#standard()}. */
  public static AnnotationReader standard(SnippetAnnotations snippets) {
    return new AnnotationReader(AnnotationFamilies.standard(), snippets);
  }

  /**
   * Reads one Ingress.
   *
   * @param annotations all of its annotations (other prefixes are skipped)
   */
  public AnnotationReading read(Map<String, String> annotations, IngressContext context) {
    AnnotationValues values = AnnotationValues.of(annotations);
    Reporter reporter = new Reporter(values);
    RiskLevel level = context.config().get(ConfigKeys.ANNOTATIONS_RISK_LEVEL);
    boolean levelSet = context.config().isSet(ConfigKeys.ANNOTATIONS_RISK_LEVEL);
    IngressPolicy.Builder policy = IngressPolicy.builder();
    for (AnnotationFamily family : families) {
      family.read(values, context, policy, reporter);
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, String> refusals = new LinkedHashMap<>();
    List<AnnotationFinding> findings = new ArrayList<>(reporter.invalid);
    for (String name : values.names()) {
      boolean winner = true;
      for (String key : values.keysOf(name)) {
        Entry entry;
        if (winner) {
          entry = fate(name, key, values, reporter);
        } else {
          entry =
              new Entry(
                  key,
                  name,
                  catalogued(name) ? State.IGNORED : State.UNKNOWN,
                  AnnotationValues.PORTICO_PREFIX + name + " is set and wins");
        }
        winner = false;
        entry = withinRisk(entry, level, levelSet);
        entries.add(entry);
        switch (entry.state()) {
          case HONOURED -> {}
          case REFUSED -> refusals.merge(entry.detail(), entry.key(), (a, b) -> a + ", " + b);
          case IGNORED -> {
            String message = entry.key() + " is ignored: " + entry.detail();
            findings.add(
                entry.detail().equals(SNIPPETS_IGNORED)
                    ? AnnotationFinding.warning(SNIPPET_IGNORED, message)
                    : AnnotationFinding.notice(IGNORED, message));
          }
          case UNKNOWN ->
              findings.add(
                  AnnotationFinding.warning(UNKNOWN, entry.key() + " is " + entry.detail()));
        }
      }
    }
    entries.sort((a, b) -> a.key().compareTo(b.key()));
    if (!refusals.isEmpty()) {
      findings.add(0, AnnotationFinding.warning(REFUSED, refusalMessage(refusals)));
    }
    return new AnnotationReading(policy.build(), new AnnotationVerdict(entries), findings);
  }

  /** The fate of the key that supplies {@code name}. */
  private Entry fate(String name, String key, AnnotationValues values, Reporter reporter) {
    Optional<AnnotationCatalogue.Entry> found = AnnotationCatalogue.find(name);
    if (found.isEmpty()) {
      return new Entry(key, name, State.UNKNOWN, unknown(key, name));
    }
    AnnotationCatalogue.Entry entry = found.get();
    String refusedBy = reporter.refused.get(name);
    if (refusedBy != null) {
      return new Entry(key, name, State.REFUSED, refusedBy);
    }
    String value = values.valueOfKey(key).orElse("");
    return switch (entry.fate()) {
      case HONOURED -> {
        String unused = reporter.unused.get(name);
        if (unused != null) {
          yield new Entry(key, name, State.IGNORED, unused);
        }
        if (!values.wasRead(name)) {
          yield new Entry(key, name, State.IGNORED, "has no effect on this Ingress");
        }
        yield new Entry(key, name, State.HONOURED, entry.note());
      }
      case IGNORED -> new Entry(key, name, State.IGNORED, entry.note());
      case REFUSED -> {
        if (entry.inert(value)) {
          yield new Entry(key, name, State.IGNORED, "\"" + value + "\" asks for nothing");
        }
        if (entry.category() == Category.SNIPPET && snippets == SnippetAnnotations.IGNORE) {
          yield new Entry(key, name, State.IGNORED, SNIPPETS_IGNORED);
        }
        yield new Entry(key, name, State.REFUSED, entry.note());
      }
    };
  }

  /**
   * The entry, refused when its annotation is riskier than {@code annotations-risk-level}, whatever
   * became of it otherwise (honoured, ignored, or under a {@code portico.io/} key that takes its
   * place): an Ingress ingress-nginx would refuse is not served.
   *
   * <p>A snippet is never interpreted, and {@code --snippet-annotations} decides for it under the
   * built-in level (refusing by default, as that level does); a level the ConfigMap sets refuses it
   * even under {@code --snippet-annotations=ignore}: the stricter of the two wins.
   */
  private static Entry withinRisk(Entry entry, RiskLevel level, boolean levelSet) {
    Optional<RiskLevel> risk = AnnotationRisk.of(entry.name());
    if (risk.isEmpty() || risk.get().compareTo(level) <= 0) {
      return entry;
    }
    boolean snippet =
        AnnotationCatalogue.find(entry.name())
            .map(e -> e.category() == Category.SNIPPET)
            .orElse(false);
    if (snippet && !levelSet) {
      return entry;
    }
    return new Entry(
        entry.key(),
        entry.name(),
        State.REFUSED,
        "risk "
            + risk.get().spelling()
            + ", above the ConfigMap's "
            + ConfigKeys.ANNOTATIONS_RISK_LEVEL.name()
            + " "
            + level.spelling());
  }

  /** {@code not served: KEY, KEY (REASON); KEY (REASON)}, keys grouped by reason. */
  private static String refusalMessage(Map<String, String> keysByReason) {
    StringBuilder message = new StringBuilder("not served: ");
    boolean first = true;
    for (Map.Entry<String, String> group : keysByReason.entrySet()) {
      if (!first) {
        message.append("; ");
      }
      first = false;
      message.append(group.getValue()).append(" (").append(group.getKey()).append(')');
    }
    return message.toString();
  }

  private static boolean catalogued(String name) {
    return AnnotationCatalogue.find(name).isPresent();
  }

  /** Why a name is unknown, with the catalogue's nearest name when it is a likely typo. */
  private static String unknown(String key, String name) {
    String nearest = null;
    int best = Integer.MAX_VALUE;
    for (AnnotationCatalogue.Entry entry : AnnotationCatalogue.entries()) {
      int distance = distance(name, entry.name());
      if (distance < best) {
        best = distance;
        nearest = entry.name();
      }
    }
    String text = "not an annotation Portico or ingress-nginx knows: it has no effect";
    // Two edits catch a dropped, doubled or swapped letter without suggesting unrelated names.
    if (nearest == null || best > 2) {
      return text;
    }
    String prefix = key.substring(0, key.length() - name.length());
    return text + " (did you mean " + prefix + nearest + "?)";
  }

  /** Levenshtein distance between two names. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** Collects what the families report, by annotation. */
  private static final class Reporter implements AnnotationReport {
    private final AnnotationValues values;
    private final List<AnnotationFinding> invalid = new ArrayList<>();
    private final Map<String, String> refused = new HashMap<>();
    private final Map<String, String> unused = new HashMap<>();

    Reporter(AnnotationValues values) {
      this.values = values;
    }

    @Override
    public void invalid(String name, String value, String expected, String instead) {
      invalid.add(
          AnnotationFinding.warning(
              INVALID,
              values.keyOf(name) + ": " + value + " (expected: " + expected + "); " + instead));
    }

    @Override
    public void refuse(String name, String why) {
      refused.putIfAbsent(name, why);
    }

    @Override
    public void unused(String name, String why) {
      unused.putIfAbsent(name, why);
    }
  }
}
