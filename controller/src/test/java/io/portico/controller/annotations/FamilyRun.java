package io.portico.controller.annotations;

import io.portico.controller.config.ControllerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs one family on a map of annotations and keeps what it reported, for family tests. */
final class FamilyRun implements AnnotationReport {

  final List<String> reports = new ArrayList<>();
  final IngressPolicy policy;
  final AnnotationValues values;

  private FamilyRun(
      AnnotationFamily family, Map<String, String> annotations, IngressContext context) {
    values = AnnotationValues.of(annotations);
    IngressPolicy.Builder builder = IngressPolicy.builder();
    family.read(values, context, builder, this);
    policy = builder.build();
  }

  static FamilyRun of(AnnotationFamily family, Map<String, String> annotations) {
    return of(family, annotations, Set.of(), ControllerConfig.DEFAULTS);
  }

  static FamilyRun of(
      AnnotationFamily family,
      Map<String, String> annotations,
      Set<String> tlsHosts,
      ControllerConfig config) {
    return new FamilyRun(
        family, annotations, new IngressContext("default", "test", tlsHosts, config));
  }

  static FamilyRun of(
      AnnotationFamily family, Map<String, String> annotations, IngressContext context) {
    return new FamilyRun(family, annotations, context);
  }

  @Override
  public void invalid(String name, String value, String expected, String instead) {
    reports.add(
        "invalid "
            + values.keyOf(name)
            + ": "
            + value
            + " (expected: "
            + expected
            + "); "
            + instead);
  }

  @Override
  public void refuse(String name, String why) {
    reports.add("refuse " + name + ": " + why);
  }

  @Override
  public void unused(String name, String why) {
    reports.add("unused " + name + ": " + why);
  }
}
