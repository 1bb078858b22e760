package io.portico.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the proxy under load: the methods that use the CPU (self and
 * inclusive share of execution samples), and what the request path allocates (sampled bytes by
 * class and by allocating method, and per request when the request count is given).
 *
 * <p>{@code java -cp ... io.portico.bench.JfrSummary recording.jfr [requests] [top]}
 */
public final class JfrSummary {

  private JfrSummary() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    long requests = args.length > 1 ? Long.parseLong(args[1]) : 0;
    int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    Map<String, Long> bytesByClass = new HashMap<>();
    Map<String, Long> bytesBySite = new HashMap<>();
    Map<String, Long> nativeTop = new HashMap<>();
    long samples = 0;
    long nativeSamples = 0;
    long allocated = 0;
    long gcPauseNanos = 0;
    long gcCount = 0;
    double jvmUser = 0;
    double jvmSystem = 0;
    long cpuLoads = 0;
    long compilations = 0;
    long compileNanos = 0;
    Map<String, Long> deopts = new HashMap<>();
    long deoptCount = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      String type = event.getEventType().getName();
      RecordedStackTrace stack = event.getStackTrace();
      if (type.equals("jdk.ExecutionSample") && stack != null && !stack.getFrames().isEmpty()) {
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        self.merge(name(frames.get(0)), 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : frames) {
          String name = name(frame);
          if (seen.add(name)) {
            inclusive.merge(name, 1L, Long::sum);
          }
        }
      } else if (type.equals("jdk.NativeMethodSample")
          && stack != null
          && !stack.getFrames().isEmpty()) {
        nativeSamples++;
        nativeTop.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
      } else if (type.equals("jdk.GarbageCollection")) {
        gcCount++;
        gcPauseNanos += event.getDuration("sumOfPauses").toNanos();
      } else if (type.equals("jdk.Compilation")) {
        compilations++;
        compileNanos += event.getDuration().toNanos();
      } else if (type.equals("jdk.Deoptimization")) {
        deoptCount++;
        deopts.merge(
            event.getString("reason")
                + " "
                + event.getString("action")
                + " in "
                + event.getValue("method.type.name")
                + "."
                + event.getValue("method.name"),
            1L,
            Long::sum);
      } else if (type.equals("jdk.CPULoad")) {
        cpuLoads++;
        jvmUser += event.getDouble("jvmUser");
        jvmSystem += event.getDouble("jvmSystem");
      } else if (type.equals("jdk.ObjectAllocationSample")) {
        long weight = event.getLong("weight");
        allocated += weight;
        bytesByClass.merge(event.getClass("objectClass").getName(), weight, Long::sum);
        if (stack != null && !stack.getFrames().isEmpty()) {
          bytesBySite.merge(site(stack.getFrames()), weight, Long::sum);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "execution samples (Java code): %d; native samples (threads in native code, mostly"
            + " waiting in epoll): %d%n",
        samples,
        nativeSamples);
    System.out.printf(
        Locale.ROOT,
        "GC: %d collections, %.0f ms of pauses; JVM CPU (share of the machine): user %.1f%%,"
            + " system %.1f%%%n%n",
        gcCount,
        gcPauseNanos / 1e6,
        cpuLoads == 0 ? 0 : 100 * jvmUser / cpuLoads,
        cpuLoads == 0 ? 0 : 100 * jvmSystem / cpuLoads);
    System.out.printf(
        Locale.ROOT,
        "JIT: %d compilations taking %.0f ms; %d deoptimizations%n%n",
        compilations,
        compileNanos / 1e6,
        deoptCount);
    print("deoptimizations (share of all)", deopts, deoptCount, 10, "%");
    print("self CPU (top frame)", self, samples, top, "%");
    print("inclusive CPU (anywhere on the stack)", inclusive, samples, top, "%");
    print("native samples (top frame)", nativeTop, nativeSamples, 8, "%");
    System.out.printf(
        Locale.ROOT,
        "allocated (sampled estimate): %.1f MiB%s%n%n",
        allocated / 1048576.0,
        requests > 0
            ? String.format(Locale.ROOT, ", %.0f bytes per request", (double) allocated / requests)
            : "");
    print("allocation by class", bytesByClass, allocated, top, "%");
    print("allocation by first non-JDK frame", bytesBySite, allocated, top, "%");
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  /** The allocating method outside java.* / jdk.*, which is where a change could be made. */
  private static String site(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
        return name(frame) + ":" + frame.getLineNumber();
      }
    }
    return name(frames.get(0));
  }

  private static void print(
      String title, Map<String, Long> counts, long total, int top, String unit) {
    System.out.println(title + ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "  %5.1f%s  %s%n",
                    100.0 * e.getValue() / Math.max(1, total),
                    unit,
                    e.getKey()));
    System.out.println();
  }
}
