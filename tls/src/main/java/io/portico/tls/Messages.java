package io.portico.tls;

/** Pieces of the user-facing messages of this package. */
final class Messages {

  private Messages() {}

  /** What went wrong, for a message: the exception's message, or its type when it has none. */
  static String reason(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
