package io.portico.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JvmSummaryTest {

  @Test
  void namesEachCollectorByItsBeans() {
    assertEquals("Serial", JvmSummary.collectorOf(List.of("Copy", "MarkSweepCompact")));
    assertEquals("Parallel", JvmSummary.collectorOf(List.of("PS Scavenge", "PS MarkSweep")));
    assertEquals(
        "G1",
        JvmSummary.collectorOf(
            List.of("G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation")));
    assertEquals(
        "ZGC",
        JvmSummary.collectorOf(
            List.of("ZGC Minor Cycles", "ZGC Minor Pauses", "ZGC Major Cycles")));
    assertEquals(
        "Shenandoah", JvmSummary.collectorOf(List.of("Shenandoah Pauses", "Shenandoah Cycles")));
  }

  @Test
  void keepsTheJvmsNamesOfACollectorItDoesNotKnow() {
    assertEquals("New_Young+New_Old", JvmSummary.collectorOf(List.of("New Young", "New Old")));
  }

  @Test
  void tellsOptionsThatChooseTheCollectorOrTheHeapFromOthers() {
    assertTrue(JvmSummary.leavesSizingToTheJvm(List.of()));
    assertTrue(
        JvmSummary.leavesSizingToTheJvm(
            List.of("-Dfile.encoding=UTF-8", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseNUMA")));
    for (String option :
        List.of(
            "-Xmx256m",
            "-Xms1g",
            "-Xmn32m",
            "-XX:MaxRAM=512m",
            "-XX:MaxRAMPercentage=50",
            "-XX:MaxHeapSize=268435456",
            "-XX:+UseSerialGC",
            "-XX:+UseZGC")) {
      assertFalse(JvmSummary.leavesSizingToTheJvm(List.of("-ea", option)), option);
    }
  }

  @Test
  void describesTheRunningJvm() {
    JvmSummary summary = JvmSummary.current();

    assertTrue(
        Set.of("Serial", "Parallel", "G1", "ZGC", "Shenandoah").contains(summary.collector()),
        summary.collector());
    assertEquals(Runtime.getRuntime().maxMemory() >> 20, summary.maxHeapMib());
    String fields = summary.fields();
    assertTrue(
        fields.startsWith("java=" + Runtime.version() + " collector=" + summary.collector() + " "),
        fields);
    assertTrue(fields.contains(" heap_max_mib=" + summary.maxHeapMib() + " "), fields);
  }
}
