package io.portico.controller.chart;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** The objects {@code helm template} rendered, parsed into fabric8's typed model. */
public final class RenderedChart {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  private final String yaml;
  private final List<HasMetadata> objects;

  private RenderedChart(String yaml, List<HasMetadata> objects) {
    this.yaml = yaml;
    this.objects = List.copyOf(objects);
  }

  /**
   * Parses Helm's multi-document output. Kinds fabric8 knows become typed objects (Deployment,
   * Service...); others, such as a ServiceMonitor, become {@code GenericKubernetesResource}.
   */
  public static RenderedChart parse(String yaml) {
    List<HasMetadata> objects =
        Arrays.stream(DOCUMENT_SEPARATOR.split(yaml))
            .filter(RenderedChart::hasContent)
            .map(document -> (HasMetadata) SERIALIZATION.unmarshal(document))
            .toList();
    return new RenderedChart(yaml, objects);
  }

  private static boolean hasContent(String document) {
    return document
        .lines()
        .map(String::strip)
        .anyMatch(line -> !line.isEmpty() && !line.startsWith("#"));
  }

  /** Helm's output as it came. */
  public String yaml() {
    return yaml;
  }

  public List<HasMetadata> objects() {
    return objects;
  }

  /** Every object as "Kind namespace/name" (cluster-scoped: "Kind name"), in rendering order. */
  public List<String> kindsAndNames() {
    return objects.stream().map(RenderedChart::describe).toList();
  }

  static String describe(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    return object.getKind() + " " + (namespace == null ? name : namespace + "/" + name);
  }

  public <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The object of that kind and name (in any namespace), if rendered. */
  public <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    List<T> matches =
        all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
    if (matches.size() > 1) {
      throw new AssertionError(
          "several " + type.getSimpleName() + " named " + name + ": " + kindsAndNames());
    }
    return matches.stream().findFirst();
  }

  /** The object of that kind and name; fails the test if it was not rendered. */
  public <T extends HasMetadata> T get(Class<T> type, String name) {
    return find(type, name)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no " + type.getSimpleName() + " named " + name + " in " + kindsAndNames()));
  }

  public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
    return all(type).stream()
        .filter(o -> Objects.equals(o.getMetadata().getNamespace(), namespace))
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no "
                        + type.getSimpleName()
                        + " "
                        + namespace
                        + "/"
                        + name
                        + " in "
                        + kindsAndNames()));
  }

  /** The controller Deployment, the chart's only one. */
  public Deployment deployment() {
    List<Deployment> deployments = all(Deployment.class);
    if (deployments.size() != 1) {
      throw new AssertionError("expected one Deployment: " + kindsAndNames());
    }
    return deployments.get(0);
  }

  public PodSpec podSpec() {
    return requireNonNull(deployment().getSpec().getTemplate().getSpec(), "pod spec");
  }

  /** The one container, Portico itself. */
  public Container container() {
    List<Container> containers = podSpec().getContainers();
    if (containers.size() != 1) {
      throw new AssertionError("expected one container, got " + containers.size());
    }
    return containers.get(0);
  }

  /** The container's arguments, after the image's {@code java -jar portico.jar} entrypoint. */
  public List<String> args() {
    return container().getArgs();
  }
}
