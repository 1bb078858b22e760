package io.portico.bench;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A proxy under test in the propagation benchmark: loaded, changed, measured, stopped. */
interface Target extends AutoCloseable {

  /**
   * What every target is started with.
   *
   * @param size bulk Ingresses to load
   * @param backend1 port of the backend answering {@code b1}
   * @param backend2 port of the backend answering {@code b2}
   * @param work a fresh folder for this target's files
   * @param tls whether to serve {@code tls.bench.test} and rotate its Secret
   * @param certs the certificates to rotate (the first is loaded at start)
   * @param workers event loops (Portico) or worker processes (nginx)
   * @param routes bulk HTTPRoutes to load beside the Ingresses (with the probe HTTPRoute); only for
   *     targets that {@link #servesGatewayApi}
   */
  record Setup(
      int size,
      int backend1,
      int backend2,
      Path work,
      boolean tls,
      List<Certs.Cert> certs,
      int workers,
      int routes) {}

  String name();

  /** Starts the proxy with the workload and returns once all of it serves. */
  void start() throws Exception;

  /** Gives the probe Ingress the single path {@link Workload#probePath}(change). */
  void changeIngress(int change) throws Exception;

  /** Moves the flip Service's only endpoint to {@code backendPort}. */
  void changeSlice(int backendPort) throws Exception;

  /** Replaces the certificate of {@code tls.bench.test}. */
  void changeSecret(Certs.Cert cert) throws Exception;

  /** Whether this target loads {@link Setup#routes} HTTPRoutes and can {@link #changeRoute}. */
  default boolean servesGatewayApi() {
    return false;
  }

  /** Gives the probe HTTPRoute the single path {@link Workload#probePath}(change). */
  default void changeRoute(int change) throws Exception {
    throw new UnsupportedOperationException(name() + " serves no HTTPRoutes");
  }

  int httpPort();

  int httpsPort();

  /** Resident memory of the proxy's processes, KiB. */
  long rssKib();

  /** Java heap in use after a full GC, KiB; -1 for a proxy without one. */
  long heapUsedKib();

  /**
   * The garbage-collection pauses of the proxy between two moments (System.nanoTime), or {@code
   * null} for a proxy without them.
   */
  default GcLog.@Nullable Pauses gcPauses(long fromNanos, long toNanos) {
    return null;
  }

  @Override
  void close();
}
