package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

/**
 * One status condition as Portico computes it. The time of the last transition is not part of it:
 * the writer keeps the one already written while the status stays the same.
 *
 * @param type e.g. {@code Accepted}
 * @param status {@code True}, {@code False} or {@code Unknown}
 * @param reason a CamelCase reason from the specification, e.g. {@code NotAllowedByListeners}
 * @param message one sentence for a person
 * @param observedGeneration the {@code metadata.generation} of the object it was computed from
 */
public record Condition(
    String type, Status status, String reason, String message, long observedGeneration) {

  /** The three values of a condition's status. */
  public enum Status {
    TRUE("True"),
    FALSE("False"),
    UNKNOWN("Unknown");

    private final String text;

    Status(String text) {
      this.text = text;
    }

    /** As written in a status: {@code True}, {@code False} or {@code Unknown}. */
    @Override
    public String toString() {
      return text;
    }
  }

  public Condition {
    requireNonNull(type, "type");
    requireNonNull(status, "status");
    requireNonNull(reason, "reason");
    requireNonNull(message, "message");
  }

  public static Condition isTrue(String type, String reason, String message, long generation) {
    return new Condition(type, Status.TRUE, reason, message, generation);
  }

  public static Condition isFalse(String type, String reason, String message, long generation) {
    return new Condition(type, Status.FALSE, reason, message, generation);
  }

  public boolean holds() {
    return status == Status.TRUE;
  }

  /** {@code Accepted=True Accepted}, without message and generation. */
  public String summary() {
    return type + "=" + status + " " + reason;
  }
}
