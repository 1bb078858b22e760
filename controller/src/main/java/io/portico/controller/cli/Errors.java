package io.portico.controller.cli;

import java.net.BindException;
import java.nio.file.NoSuchFileException;

/** One-line descriptions of start-up failures, for people rather than stack traces. */
final class Errors {

  private Errors() {}

  static String describe(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof NoSuchFileException missing) {
      return missing.getFile() + ": no such directory";
    }
    if (root instanceof BindException
        || String.valueOf(root.getMessage()).contains("Address already in use")) {
      return "a port is already in use ("
          + root.getMessage()
          + "); pick others with --http-port/--admin-port";
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
