package io.portico.controller.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations, recorded without locks: one {@link LongAdder} per bucket.
 * (Micrometer's timers rotate a time window under a lock now and then; a request path must never
 * wait on one.)
 */
final class LatencyHistogram {

  /** Upper bounds in seconds, as Prometheus' client libraries default them. */
  static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final LongAdder[] buckets = new LongAdder[BOUNDS.length];
  private final LongAdder count = new LongAdder();
  private final DoubleAdder sum = new DoubleAdder();

  LatencyHistogram() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  void record(long nanos) {
    double seconds = nanos / 1e9;
    for (int i = 0; i < BOUNDS.length; i++) {
      if (seconds <= BOUNDS[i]) {
        buckets[i].increment();
        break;
      }
    }
    count.increment();
    sum.add(seconds);
  }

  /** Appends the histogram's samples: cumulative buckets, +Inf, sum and count. */
  void render(StringBuilder out, String name, String labels) {
    long cumulative = 0;
    for (int i = 0; i < BOUNDS.length; i++) {
      cumulative += buckets[i].sum();
      out.append(name)
          .append("_bucket{")
          .append(labels)
          .append(labels.isEmpty() ? "" : ",")
          .append("le=\"")
          .append(BOUNDS[i])
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
    long total = count.sum();
    out.append(name)
        .append("_bucket{")
        .append(labels)
        .append(labels.isEmpty() ? "" : ",")
        .append("le=\"+Inf\"} ")
        .append(total)
        .append('\n');
    out.append(name).append("_sum{").append(labels).append("} ").append(sum.sum()).append('\n');
    out.append(name).append("_count{").append(labels).append("} ").append(total).append('\n');
  }
}
