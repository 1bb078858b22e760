package io.portico.router.proxy;

import java.io.IOException;

/** A backend's response head was larger than its route lets it be ({@code proxy-buffer-size}). */
final class ResponseHeadTooLargeException extends IOException {

  ResponseHeadTooLargeException(int limit) {
    super("the backend's response head is over " + limit + " bytes (proxy-buffer-size)");
  }
}
