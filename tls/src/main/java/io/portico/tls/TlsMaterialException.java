package io.portico.tls;

/**
 * TLS material (PEM text, a key or a certificate) that cannot be used. The message is meant for
 * users as is: it names the Secret key it is about ({@code tls.crt} or {@code tls.key}) and what is
 * wrong, for example {@code tls.key: private key does not match the certificate (certificate
 * subject CN=app.test)}. It never contains key material.
 */
public final class TlsMaterialException extends Exception {

  public TlsMaterialException(String message) {
    super(message);
  }

  public TlsMaterialException(String message, Throwable cause) {
    super(message, cause);
  }
}
