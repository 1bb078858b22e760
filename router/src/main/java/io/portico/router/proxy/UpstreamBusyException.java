package io.portico.router.proxy;

import java.io.IOException;

/**
 * No connection to an endpoint could be had: every one the pool may open is busy, and either the
 * wait queue is full or the wait outlasted the connect timeout. Nothing was sent, so another
 * endpoint may be tried; the client gets 503 otherwise. Without a stack trace: a busy backend makes
 * many of these, and where they come from is always the pool.
 */
final class UpstreamBusyException extends IOException {

  UpstreamBusyException(String message) {
    super(message);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
