package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

/**
 * Something translation noticed about an object: a problem that changed what serves (a warning) or
 * a plain fact. Findings become log lines, Kubernetes Events and explanations.
 *
 * @param severity how much it matters
 * @param subject the object it is about, usually an Ingress
 * @param reason a short CamelCase reason, stable for alerts (e.g. {@code ServiceNotFound})
 * @param message one sentence naming the objects involved
 */
public record Finding(Severity severity, ObjectRef subject, String reason, String message)
    implements Comparable<Finding> {

  /** Warnings change what serves; notices do not. */
  public enum Severity {
    WARNING,
    NOTICE
  }

  public Finding {
    requireNonNull(severity, "severity");
    requireNonNull(subject, "subject");
    requireNonNull(reason, "reason");
    requireNonNull(message, "message");
  }

  public static Finding warning(ObjectRef subject, String reason, String message) {
    return new Finding(Severity.WARNING, subject, reason, message);
  }

  public static Finding notice(ObjectRef subject, String reason, String message) {
    return new Finding(Severity.NOTICE, subject, reason, message);
  }

  @Override
  public int compareTo(Finding other) {
    int bySubject = subject.compareTo(other.subject);
    if (bySubject != 0) {
      return bySubject;
    }
    int byReason = reason.compareTo(other.reason);
    return byReason != 0 ? byReason : message.compareTo(other.message);
  }

  /** {@code WARNING Ingress default/app ServiceNotFound: ...}. */
  @Override
  public String toString() {
    return severity + " " + subject + " " + reason + ": " + message;
  }
}
