package io.portico.controller.source;

/** A manifest file that cannot be read: the message names the file, the line and the problem. */
public final class ManifestException extends Exception {

  private static final long serialVersionUID = 1L;

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }

  public ManifestException(String message) {
    super(message);
  }
}
