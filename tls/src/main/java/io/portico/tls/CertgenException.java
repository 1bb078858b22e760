package io.portico.tls;

/**
 * A {@link Certgen} run that cannot proceed because of its input or its files: an invalid host
 * name, a file that exists, an unreadable CA. The message is one line, meant for users as is.
 */
public final class CertgenException extends Exception {

  public CertgenException(String message) {
    super(message);
  }

  public CertgenException(String message, Throwable cause) {
    super(message, cause);
  }
}
