package io.portico.controller.chart;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * charts/portico driven by real Helm (helm-java embeds Helm's Go library), installed as release
 * {@value #RELEASE} in namespace {@value #NAMESPACE}.
 *
 * <p>Values are given as YAML text, each text one values file applied in order, like {@code helm
 * template -f a.yaml -f b.yaml}: the types are then exactly what a user's file gives, which {@code
 * --set} would guess.
 */
public final class HelmChart {
  public static final String RELEASE = "portico";
  public static final String NAMESPACE = "portico";

  private static final Path DIR = findChartDir();

  private HelmChart() {}

  /** The chart's directory, charts/portico in the repository. */
  public static Path dir() {
    return DIR;
  }

  /** A values file that ships with the chart, such as {@code ci/minikube-values.yaml}. */
  public static Path file(String relative) {
    Path file = DIR.resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such chart file: " + file);
    }
    return file;
  }

  /** Renders the chart with the given values texts on top of values.yaml. */
  public static RenderedChart render(String... valuesYamls) {
    return withValues(valuesYamls, HelmChart::template);
  }

  /** Renders the chart with the given values files on top of values.yaml. */
  public static RenderedChart renderFiles(Path... valuesFiles) {
    return template(List.of(valuesFiles));
  }

  /**
   * Renders the chart expecting Helm to refuse the values, and returns Helm's message.
   *
   * @throws AssertionError if the chart renders
   */
  public static String renderError(String valuesYaml) {
    try {
      RenderedChart chart = render(valuesYaml);
      throw new AssertionError(
          "expected Helm to reject the values, but it rendered "
              + chart.kindsAndNames()
              + " from:\n"
              + valuesYaml);
    } catch (IllegalStateException e) {
      // helm-java reports Helm's error as the exception message.
      return e.getMessage();
    }
  }

  /** {@code helm lint --strict}: warnings fail as errors do. */
  public static LintResult lintStrict() {
    return new Helm(DIR).lint().strict().call();
  }

  /**
   * The text {@code helm install} prints, NOTES.txt included: a client-side dry run, which needs no
   * cluster. ({@code helm template} leaves NOTES.txt out.)
   */
  public static String installOutput(String valuesYaml) {
    return withValues(
        new String[] {valuesYaml},
        files -> {
          var install =
              new Helm(DIR)
                  .install()
                  .withName(RELEASE)
                  .withNamespace(NAMESPACE)
                  .clientOnly()
                  .dryRun()
                  .withDryRunOption(DryRun.CLIENT);
          for (Path file : files) {
            install = install.withValuesFile(file);
          }
          return install.call().getOutput();
        });
  }

  private static RenderedChart template(List<Path> valuesFiles) {
    TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (Path file : valuesFiles) {
      template = template.withValuesFile(file);
    }
    return RenderedChart.parse(template.call());
  }

  private static <T> T withValues(String[] valuesYamls, Function<List<Path>, T> action) {
    List<Path> files = new ArrayList<>();
    try {
      for (String yaml : valuesYamls) {
        Path file = Files.createTempFile("portico-values-", ".yaml");
        files.add(file);
        Files.writeString(file, yaml);
      }
      return action.apply(files);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (Path file : files) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // A leftover temp file is harmless; the result of the test is what matters.
        }
      }
    }
  }

  /** Surefire runs in controller/, an IDE may run in the repository root: look upwards. */
  private static Path findChartDir() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path chart = dir.resolve("charts").resolve("portico");
      if (Files.isRegularFile(chart.resolve("Chart.yaml"))) {
        return chart;
      }
    }
    throw new IllegalStateException("charts/portico/Chart.yaml not found above " + start);
  }
}
