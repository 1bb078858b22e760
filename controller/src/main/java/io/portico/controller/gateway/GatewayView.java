package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A Gateway as read, with the CRD's defaults applied.
 *
 * @param facts its key, generation and creation time
 * @param className {@code spec.gatewayClassName}
 * @param listeners {@code spec.listeners}, in order
 * @param addresses {@code spec.addresses} (type defaulted to {@code IPAddress})
 * @param infrastructureParametersRef {@code spec.infrastructure.parametersRef}, which Portico
 *     supports none of
 */
public record GatewayView(
    ObjectFacts facts,
    String className,
    List<ListenerView> listeners,
    List<Address> addresses,
    Optional<TargetRef> infrastructureParametersRef) {

  /** A requested or assigned address: {@code type} ({@code IPAddress}, ...) and value. */
  public record Address(String type, String value) {

    public Address {
      requireNonNull(type, "type");
      requireNonNull(value, "value");
    }
  }

  public GatewayView {
    requireNonNull(facts, "facts");
    requireNonNull(className, "className");
    listeners = List.copyOf(listeners);
    addresses = List.copyOf(addresses);
    requireNonNull(infrastructureParametersRef, "infrastructureParametersRef");
  }

  public String namespace() {
    return facts.key().namespace();
  }
}
