package io.portico.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.translate.TlsInputs;
import io.portico.controller.translate.Translation;
import io.portico.controller.translate.Translator;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.balance.AffinityKey;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Translation as the sync loop runs it after a change, over {@code ingresses} Ingresses, each with
 * its Service and an EndpointSlice of four endpoints (20,000 endpoints at 5,000), plus the probe
 * Ingress and the flip Service of the propagation benchmark.
 *
 * <ul>
 *   <li>{@code change=full}: a translator that remembers nothing, as every translation was before
 *       the translator kept per-Ingress results (and as the first one still is).
 *   <li>{@code change=ingress}: one translator, and each invocation translates the other of two
 *       snapshots that differ in the probe Ingress's path: one changed Ingress per translation.
 *   <li>{@code change=endpointslice}: the same, the snapshots differing in the flip Service's
 *       EndpointSlice: one changed Service's endpoints per translation.
 *   <li>{@code change=httproute}: the same, the snapshots differing in the probe HTTPRoute's path
 *       (with {@code routes} above 0).
 * </ul>
 *
 * With {@code -p routes=N}, {@code N} HTTPRoutes shaped as the bulk Ingresses sit beside them, on
 * one Gateway ({@link Workload#bulkRoutes}).
 *
 * <p>Snapshots are derived from one another with {@link ClusterSnapshot#toBuilder()}, as the
 * sources do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx1g"})
@State(Scope.Benchmark)
public class TranslateBenchmark {

  @Param({"5000"})
  public int ingresses;

  @Param({"0"})
  public int routes;

  @Param({"full", "ingress", "endpointslice"})
  public String change;

  private ClusterSnapshot[] snapshots;
  private TlsInputs tls;
  private Translator translator;
  private int next;

  @Setup
  public void setUp() {
    List<HasMetadata> base =
        Workload.objects(
            Workload.bulk(ingresses)
                + Workload.steady(1)
                + Workload.probe(0)
                + Workload.flip()
                + (routes > 0
                    ? Workload.gateway() + Workload.bulkRoutes(routes) + Workload.probeRoute(0)
                    : ""));
    ClusterSnapshot.Builder builder = ClusterSnapshot.builder();
    base.forEach(builder::add);
    Workload.objects(Workload.flipSlice(1)).forEach(builder::add);
    ClusterSnapshot first = builder.build();
    String other =
        switch (change) {
          case "endpointslice" -> Workload.flipSlice(2);
          case "httproute" -> Workload.probeRoute(1);
          default -> Workload.probe(1);
        };
    ClusterSnapshot.Builder second = first.toBuilder();
    Workload.objects(other).forEach(second::add);
    snapshots = new ClusterSnapshot[] {first, second.build()};
    tls = TlsInputs.generated(java.time.Instant.now());
    translator = translator();
    translator.translate(snapshots[1]);
  }

  private Translator translator() {
    return new Translator(
        TranslatorSettings.defaults(), Clock.systemUTC(), AffinityKey.builtIn(), tls);
  }

  /** The bulk workload of {@link Workload#bulk} as a snapshot. */
  public static ClusterSnapshot snapshot(int ingresses) {
    return ClusterSnapshot.of(Workload.objects(Workload.bulk(ingresses)));
  }

  @Benchmark
  public Translation translate() {
    ClusterSnapshot snapshot = snapshots[next];
    next ^= 1;
    return (change.equals("full") ? translator() : translator).translate(snapshot);
  }
}
