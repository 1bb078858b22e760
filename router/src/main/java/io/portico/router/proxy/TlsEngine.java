package io.portico.router.proxy;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

/**
 * The TLS implementation of the HTTPS listener. OpenSSL (BoringSSL through
 * netty-tcnative-boringssl-static) handles three to five times the new handshakes per second of the
 * JDK engine on the same CPU, so it is preferred whenever its native library loads.
 */
public enum TlsEngine {
  /** OpenSSL when it loads on this platform, the JDK engine otherwise. */
  AUTO,
  /** OpenSSL; the listener fails to start when it does not load. */
  OPENSSL,
  /** The JDK's {@code SSLEngine}. */
  JDK;

  /** {@link #OPENSSL} or {@link #JDK}: what this choice means on this machine. */
  TlsEngine resolve() {
    if (this == AUTO) {
      return OpenSSLEngineOptions.isAvailable() ? OPENSSL : JDK;
    }
    if (this == OPENSSL && !OpenSSLEngineOptions.isAvailable()) {
      Throwable cause = io.netty.handler.ssl.OpenSsl.unavailabilityCause();
      throw new IllegalStateException(
          "tls engine: openssl is not available on this platform ("
              + (cause == null ? "unknown cause" : cause.toString())
              + ") (expected: auto or jdk)");
    }
    return this;
  }

  /** The Vert.x options for a resolved engine. */
  SSLEngineOptions options() {
    return this == OPENSSL ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
  }

  /** The implementation's version, for the start-up log line. */
  String version() {
    if (this == OPENSSL) {
      return io.netty.handler.ssl.OpenSsl.versionString();
    }
    return "SunJSSE-" + Runtime.version();
  }

  /** The name used in logs: {@code openssl} or {@code jdk}. */
  String logName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
