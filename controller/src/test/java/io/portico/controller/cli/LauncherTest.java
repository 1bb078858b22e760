package io.portico.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/portico}, the launcher outside a container: it runs the jar with the JVM settings of
 * the image's ENTRYPOINT (and of the benches' {@code CHART_DEFAULT_JVM}), so the three cannot drift
 * apart. A stand-in {@code java} records the command line it is given.
 */
class LauncherTest {

  private static final Path LAUNCHER = Path.of("..", "bin", "portico");
  private static final Path DOCKERFILE = Path.of("..", "Dockerfile");
  private static final Path BENCH_LIB = Path.of("..", "bench", "lib.sh");
  private static final Path VALUES = Path.of("..", "charts", "portico", "values.yaml");

  @TempDir Path folder;

  /** The launcher's java command line, one argument per element, and its MALLOC_ARENA_MAX. */
  private List<String> launch(Map<String, String> environment, String... args) throws Exception {
    Path javaHome = Files.createDirectories(folder.resolve("jdk/bin"));
    Path java = javaHome.resolve("java");
    Files.writeString(
        java,
        "#!/bin/sh\n"
            + "printf '%s\\n' \"MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX\" \"$@\" > \""
            + folder.resolve("args")
            + "\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = Files.writeString(folder.resolve("portico.jar"), "stand-in");
    List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("JAVA_OPTS");
    builder.environment().remove("PORTICO_MEMORY");
    builder.environment().remove("MALLOC_ARENA_MAX");
    builder.environment().put("JAVA_HOME", folder.resolve("jdk").toString());
    builder.environment().put("PORTICO_JAR", jar.toString());
    builder.environment().putAll(environment);
    Process process = builder.start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher returned");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), output);
    return Files.readAllLines(folder.resolve("args"));
  }

  /** The options of the image's JDK_JAVA_OPTIONS (the collector). */
  private static List<String> imageJdkJavaOptions() throws Exception {
    Matcher env =
        Pattern.compile("(?m)^ENV JDK_JAVA_OPTIONS=\"?([^\"\\n]+?)\"?$")
            .matcher(Files.readString(DOCKERFILE));
    assertTrue(env.find(), "the Dockerfile sets JDK_JAVA_OPTIONS");
    return Arrays.asList(env.group(1).split(" "));
  }

  /**
   * The JVM options of the image: its JDK_JAVA_OPTIONS and the ENTRYPOINT's, without its AOT cache.
   */
  private static List<String> imageOptions() throws Exception {
    Matcher entrypoint =
        Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$").matcher(Files.readString(DOCKERFILE));
    assertTrue(entrypoint.find(), "the Dockerfile has an ENTRYPOINT in exec form");
    List<String> options = new ArrayList<>(imageJdkJavaOptions());
    Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(entrypoint.group(1));
    while (word.find()) {
      String option = word.group(1);
      if (option.startsWith("-XX:") && !option.startsWith("-XX:AOTCache=")) {
        options.add(option);
      }
    }
    return options;
  }

  @Test
  void runsTheJarWithTheImagesJvmSettingsSizedForTheChartsDefaultLimit() throws Exception {
    List<String> args = launch(Map.of(), "demo", "--http-port", "18080");

    assertEquals("MALLOC_ARENA_MAX=2", args.get(0));
    assertTrue(args.contains("-XX:MaxRAM=512m"), args.toString());
    List<String> image = imageOptions();
    assertTrue(image.size() >= 4, image.toString());
    assertTrue(args.containsAll(image), "image " + image + ", launcher " + args);
    assertEquals(
        List.of("-jar", folder.resolve("portico.jar").toString(), "demo", "--http-port", "18080"),
        args.subList(args.indexOf("-jar"), args.size()));
  }

  @Test
  void theChartsDefaultJvmOptionsAreTheImages() throws Exception {
    Matcher value =
        Pattern.compile("(?m)^  jvmOptions: \"([^\"]*)\"$").matcher(Files.readString(VALUES));
    assertTrue(value.find(), "values.yaml sets controller.jvmOptions");
    assertEquals(imageJdkJavaOptions(), Arrays.asList(value.group(1).split(" ")));
  }

  @Test
  void theBenchesMeasureTheSameSettings() throws Exception {
    Matcher chart =
        Pattern.compile("(?m)^CHART_DEFAULT_JVM=\"([^\"]*)\"").matcher(Files.readString(BENCH_LIB));
    assertTrue(chart.find(), "bench/lib.sh sets CHART_DEFAULT_JVM");
    List<String> bench = Arrays.asList(chart.group(1).split(" "));

    List<String> launcher = launch(Map.of());
    assertTrue(bench.containsAll(imageOptions()), bench.toString());
    assertTrue(
        launcher.subList(1, launcher.indexOf("-jar")).containsAll(bench),
        "bench " + bench + ", launcher " + launcher);
  }

  @Test
  void theMemoryAndFurtherOptionsComeFromTheEnvironmentAndWin() throws Exception {
    List<String> args =
        launch(
            Map.of(
                "PORTICO_MEMORY",
                "2g",
                "JAVA_OPTS",
                "-XX:+UseG1GC -Xlog:gc",
                "MALLOC_ARENA_MAX",
                "4"),
            "run");

    assertEquals("MALLOC_ARENA_MAX=4", args.get(0));
    assertTrue(args.contains("-XX:MaxRAM=2g"), args.toString());
    int jar = args.indexOf("-jar");
    assertEquals(List.of("-XX:+UseG1GC", "-Xlog:gc"), args.subList(jar - 2, jar));
    // Two collectors on one command line stop the JVM: the user's replaces the launcher's.
    assertTrue(args.stream().noneMatch(a -> a.equals("-XX:+UseSerialGC")), args.toString());
  }
}
