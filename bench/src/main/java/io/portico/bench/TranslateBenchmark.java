package io.portico.bench;

import io.portico.controller.translate.ClusterSnapshot;
import io.portico.controller.translate.Translation;
import io.portico.controller.translate.Translator;
import io.portico.controller.translate.TranslatorSettings;
import java.time.Clock;
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
 * One full translation, as the sync loop runs it after every change: {@link
 * Translator#translate(ClusterSnapshot)} over {@code ingresses} Ingresses, each with its Service
 * and an EndpointSlice of four endpoints (20,000 endpoints at 5,000).
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

  private ClusterSnapshot snapshot;
  private Translator translator;

  @Setup
  public void setUp() {
    snapshot = snapshot(ingresses);
    translator = new Translator(TranslatorSettings.defaults(), Clock.systemUTC());
  }

  /** The bulk workload of {@link Workload#bulk} as a snapshot. */
  public static ClusterSnapshot snapshot(int ingresses) {
    return ClusterSnapshot.of(Workload.objects(Workload.bulk(ingresses)));
  }

  @Benchmark
  public Translation translate() {
    return translator.translate(snapshot);
  }
}
