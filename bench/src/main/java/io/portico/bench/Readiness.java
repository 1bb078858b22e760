package io.portico.bench;

import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/** Waits until a target serves the whole workload. */
final class Readiness {

  private Readiness() {}

  static void await(Target target, Target.Setup setup, long seconds, BooleanSupplier alive) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!alive.getAsBoolean()) {
        throw new IllegalStateException(target.name() + " exited; see its log in " + setup.work());
      }
      last = missing(target, setup);
      if (last == null) {
        return;
      }
      Proc.sleep(100);
    }
    throw new IllegalStateException(
        target.name() + " not serving after " + seconds + " s: " + last);
  }

  /** What does not serve yet, or null when everything does. */
  private static @Nullable String missing(Target target, Target.Setup setup) {
    int port = target.httpPort();
    Http.Response steady = Http.get(port, Workload.STEADY_HOST, "/");
    if (!steady.ok()) {
      return "steady: " + steady.status();
    }
    Http.Response probe = Http.get(port, Workload.PROBE_HOST, Workload.probePath(0));
    if (!probe.ok()) {
      return "probe: " + probe.status();
    }
    Http.Response flip = Http.get(port, Workload.FLIP_HOST, "/");
    if (!flip.body().contains("b1")) {
      return "flip: " + flip.status();
    }
    // The last bulk route answers 502 (nothing listens on its endpoints), never 404.
    int lastBulk = Http.get(port, Workload.bulkHost(setup.size() - 1), "/b/c").status();
    if (lastBulk == 404 || lastBulk == 0) {
      return "bulk: " + lastBulk;
    }
    if (setup.routes() > 0 && target.servesGatewayApi()) {
      Http.Response route = Http.get(port, Workload.PROBE_ROUTE_HOST, Workload.probePath(0));
      if (!route.ok()) {
        return "probe route: " + route.status();
      }
      int lastRoute = Http.get(port, Workload.bulkRouteHost(setup.routes() - 1), "/b/c").status();
      if (lastRoute == 404 || lastRoute == 0) {
        return "bulk route: " + lastRoute;
      }
    }
    if (setup.tls()) {
      java.math.BigInteger serial =
          Http.serverCertificateSerial(target.httpsPort(), Workload.TLS_HOST);
      if (!setup.certs().get(0).serial().equals(serial)) {
        return "tls: " + serial;
      }
    }
    return null;
  }
}
