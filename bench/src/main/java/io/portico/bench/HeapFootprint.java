package io.portico.bench;

import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.translate.Translation;
import io.portico.controller.translate.Translator;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.route.RouteTable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.util.Locale;

/**
 * Heap retained by the objects of {@code N} bulk Ingresses (default 5,000, with 20,000 endpoints):
 * the parsed objects and their snapshot (what a source holds), then the translation (what the data
 * plane serves), each measured as the growth of used heap after a full GC.
 *
 * <p>{@code java -cp ... io.portico.bench.HeapFootprint [N]}
 */
public final class HeapFootprint {

  private HeapFootprint() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    long base = usedAfterGc();
    ClusterSnapshot snapshot = TranslateBenchmark.snapshot(n);
    long withSnapshot = usedAfterGc();
    Translator translator = new Translator(TranslatorSettings.defaults(), Clock.systemUTC());
    Translation translation = translator.translate(snapshot);
    long withTranslation = usedAfterGc();
    RouteTable table = translation.routes();
    System.out.printf(
        Locale.ROOT,
        "ingresses=%d routes=%d endpoints=%d snapshot_mib=%.1f translation_mib=%.1f"
            + " total_used_mib=%.1f%n",
        n,
        table.routes().size(),
        translation.endpointCount(),
        mib(withSnapshot - base),
        mib(withTranslation - withSnapshot),
        mib(withTranslation));
    // Keep both alive until after the last measurement.
    if (snapshot.ingresses().size() + table.routes().size() < 0) {
      System.out.println("unreachable");
    }
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
