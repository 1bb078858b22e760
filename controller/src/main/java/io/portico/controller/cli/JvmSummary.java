package io.portico.controller.cli;

import static java.util.Objects.requireNonNull;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;

/**
 * What the JVM chose for this process: the collector and the heap. A process cannot choose either
 * for itself (a jar's manifest carries no JVM options), and outside a container the JVM sizes the
 * heap from the whole machine, so {@code run} logs them at start to show which one a user got.
 *
 * @param collector the collector's short name: Serial, Parallel, G1, ZGC, Shenandoah, Epsilon, or
 *     the JVM's own names when unknown
 * @param initialHeapMib the heap committed at start, MiB
 * @param maxHeapMib the largest the heap may grow, MiB
 * @param processors the processors the JVM sees (a container's CPU limit, where one is set)
 * @param sizedByTheJvm whether the command line left both the collector and the heap to the JVM
 */
record JvmSummary(
    String collector, long initialHeapMib, long maxHeapMib, int processors, boolean sizedByTheJvm) {

  JvmSummary {
    requireNonNull(collector, "collector");
  }

  /** This process's JVM. */
  static JvmSummary current() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    List<String> names =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .toList();
    return new JvmSummary(
        collectorOf(names),
        heap.getInit() >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors(),
        leavesSizingToTheJvm(ManagementFactory.getRuntimeMXBean().getInputArguments()));
  }

  /**
   * Whether none of these JVM options (the command line's, {@code JAVA_TOOL_OPTIONS} and {@code
   * JDK_JAVA_OPTIONS} included) picks a collector or sizes the heap.
   */
  static boolean leavesSizingToTheJvm(List<String> jvmOptions) {
    requireNonNull(jvmOptions, "jvmOptions");
    for (String option : jvmOptions) {
      if (option.startsWith("-Xmx")
          || option.startsWith("-Xms")
          || option.startsWith("-Xmn")
          || option.startsWith("-XX:MaxRAM")
          || option.startsWith("-XX:MaxHeapSize")
          || (option.startsWith("-XX:+Use") && option.endsWith("GC"))) {
        return false;
      }
    }
    return true;
  }

  /** The collector behind the JVM's garbage-collector beans, by their names. */
  static String collectorOf(List<String> beanNames) {
    requireNonNull(beanNames, "beanNames");
    for (String name : beanNames) {
      // One bean per collector is enough to tell them apart; each JVM names its beans this way.
      if (name.equals("Copy") || name.equals("MarkSweepCompact")) {
        return "Serial";
      }
      if (name.startsWith("PS ")) {
        return "Parallel";
      }
      if (name.startsWith("G1 ")) {
        return "G1";
      }
      if (name.startsWith("ZGC ")) {
        return "ZGC";
      }
      if (name.startsWith("Shenandoah ")) {
        return "Shenandoah";
      }
      if (name.startsWith("Epsilon")) {
        return "Epsilon";
      }
    }
    return String.join("+", beanNames).replace(' ', '_');
  }

  /** The log line's fields: {@code collector=G1 heap_initial_mib=384 ...}. */
  String fields() {
    return String.format(
        Locale.ROOT,
        "java=%s collector=%s heap_initial_mib=%d heap_max_mib=%d processors=%d sizing=%s",
        Runtime.version(),
        collector,
        initialHeapMib,
        maxHeapMib,
        processors,
        sizedByTheJvm ? "jvm-defaults" : "options");
  }
}
