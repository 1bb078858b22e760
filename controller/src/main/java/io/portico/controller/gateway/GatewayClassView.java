package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A GatewayClass as read.
 *
 * @param facts its name (namespace {@code ""}) and generation
 * @param controllerName {@code spec.controllerName}
 * @param parametersRef {@code spec.parametersRef}, which Portico supports none of
 */
public record GatewayClassView(
    ObjectFacts facts, String controllerName, Optional<TargetRef> parametersRef) {

  public GatewayClassView {
    requireNonNull(facts, "facts");
    requireNonNull(controllerName, "controllerName");
    requireNonNull(parametersRef, "parametersRef");
  }

  public String name() {
    return facts.key().name();
  }
}
