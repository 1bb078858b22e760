package io.portico.router.memcached;

/**
 * A command that did not get its answer: no connection, a timeout, a closed connection, or an
 * answer the protocol does not allow. The message names the server and what went wrong.
 */
public final class MemcachedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MemcachedException(String message) {
    super(message, null, false, false);
  }
}
