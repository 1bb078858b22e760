package io.portico.controller.audit;

import static java.util.Objects.requireNonNull;

import io.portico.controller.annotations.AnnotationVerdict;
import io.portico.controller.annotations.AnnotationVerdict.State;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.translate.Finding;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an {@link Audit} found: each audited Ingress, by namespace and name, with what would become
 * of its annotations (the text lists the refused ones first) and its other problems; and the
 * findings about other objects.
 *
 * @param ingresses the audited Ingresses, by namespace and name
 * @param otherFindings findings about other objects (Secrets, Services) and other Ingresses
 */
public record AuditReport(List<IngressAudit> ingresses, List<Finding> otherFindings) {

  /**
   * One Ingress.
   *
   * @param ingress its namespace and name
   * @param className the class it names today; empty when none
   * @param refused whether Portico would refuse to serve it
   * @param annotations what would become of each of its annotations
   * @param problems the other warnings translation has about it (missing Service, missing Secret,
   *     conflicting rule, invalid value, ...)
   */
  public record IngressAudit(
      ObjectKey ingress,
      Optional<String> className,
      boolean refused,
      AnnotationVerdict annotations,
      List<Finding> problems) {

    public IngressAudit {
      requireNonNull(ingress, "ingress");
      requireNonNull(className, "className");
      requireNonNull(annotations, "annotations");
      problems = List.copyOf(problems);
    }
  }

  public AuditReport {
    ingresses = List.copyOf(ingresses);
    otherFindings = List.copyOf(otherFindings);
  }

  /** Whether any Ingress would be refused: the audit then exits non-zero. */
  public boolean anyRefused() {
    return ingresses.stream().anyMatch(IngressAudit::refused);
  }

  /** The report for people: one block per Ingress, then the other findings and a summary line. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (IngressAudit audit : ingresses) {
      out.append("Ingress ")
          .append(audit.ingress())
          .append(" (")
          .append(audit.className().map(c -> "class " + c).orElse("no class"))
          .append("): ")
          .append(audit.refused() ? "REFUSED, would not be served" : "would be served")
          .append('\n');
      for (AnnotationVerdict.Entry entry : byConcern(audit.annotations())) {
        out.append("  ").append(String.format("%-9s ", entry.state().label())).append(entry.key());
        if (entry.state() == State.HONOURED) {
          out.append(" (").append(entry.detail()).append(" family)");
        } else {
          out.append(": ").append(entry.detail());
        }
        out.append('\n');
      }
      for (Finding problem : audit.problems()) {
        out.append("  problem   ")
            .append(problem.reason())
            .append(": ")
            .append(problem.message())
            .append('\n');
      }
    }
    if (!otherFindings.isEmpty()) {
      out.append("Other findings\n");
      for (Finding finding : otherFindings) {
        out.append("  ").append(finding).append('\n');
      }
    }
    return out.append(summary()).append('\n').toString();
  }

  /** Refused first, then unknown, ignored and honoured; by key within each. */
  private static List<AnnotationVerdict.Entry> byConcern(AnnotationVerdict verdict) {
    List<AnnotationVerdict.Entry> out = new ArrayList<>();
    for (State state : List.of(State.REFUSED, State.UNKNOWN, State.IGNORED, State.HONOURED)) {
      out.addAll(verdict.in(state));
    }
    return out;
  }

  /** One line: Ingresses served and refused, annotations by fate, problems. */
  public String summary() {
    long refused = ingresses.stream().filter(IngressAudit::refused).count();
    Map<State, Integer> states = states();
    long problems = ingresses.stream().mapToLong(i -> i.problems().size()).sum();
    return ingresses.size()
        + " Ingresses: "
        + (ingresses.size() - refused)
        + " would be served, "
        + refused
        + " refused; annotations: "
        + states.get(State.HONOURED)
        + " honoured, "
        + states.get(State.IGNORED)
        + " ignored, "
        + states.get(State.REFUSED)
        + " refused, "
        + states.get(State.UNKNOWN)
        + " unknown; "
        + problems
        + " other problems";
  }

  /** The report for scripts. */
  public JsonObject json() {
    JsonArray list = new JsonArray();
    for (IngressAudit audit : ingresses) {
      JsonArray annotations = new JsonArray();
      for (AnnotationVerdict.Entry entry : audit.annotations().entries()) {
        JsonObject json =
            new JsonObject().put("annotation", entry.key()).put("state", entry.state().label());
        json.put(entry.state() == State.HONOURED ? "family" : "reason", entry.detail());
        annotations.add(json);
      }
      JsonArray problems = new JsonArray();
      audit
          .problems()
          .forEach(
              p ->
                  problems.add(
                      new JsonObject().put("reason", p.reason()).put("message", p.message())));
      list.add(
          new JsonObject()
              .put("namespace", audit.ingress().namespace())
              .put("name", audit.ingress().name())
              .put("class", audit.className().orElse(null))
              .put("refused", audit.refused())
              .put("annotations", annotations)
              .put("problems", problems));
    }
    JsonArray others = new JsonArray();
    for (Finding finding : otherFindings) {
      others.add(
          new JsonObject()
              .put("severity", finding.severity().name().toLowerCase(java.util.Locale.ROOT))
              .put("kind", finding.subject().kind())
              .put("namespace", finding.subject().key().namespace())
              .put("name", finding.subject().key().name())
              .put("reason", finding.reason())
              .put("message", finding.message()));
    }
    Map<State, Integer> states = states();
    JsonObject annotations = new JsonObject();
    states.forEach((state, count) -> annotations.put(state.label(), count));
    long refused = ingresses.stream().filter(IngressAudit::refused).count();
    return new JsonObject()
        .put("ingresses", list)
        .put("otherFindings", others)
        .put(
            "summary",
            new JsonObject()
                .put("ingresses", ingresses.size())
                .put("served", ingresses.size() - refused)
                .put("refused", refused)
                .put("annotations", annotations)
                .put("problems", ingresses.stream().mapToLong(i -> i.problems().size()).sum()));
  }

  private Map<State, Integer> states() {
    Map<State, Integer> states = new EnumMap<>(State.class);
    for (State state : State.values()) {
      states.put(state, 0);
    }
    for (IngressAudit audit : ingresses) {
      for (AnnotationVerdict.Entry entry : audit.annotations().entries()) {
        states.merge(entry.state(), 1, Integer::sum);
      }
    }
    return states;
  }
}
