package io.portico.controller.gateway;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedRoutes;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewaySpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewaySpecAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerTLSConfig;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParametersReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteNamespaces;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import io.portico.controller.gateway.ListenerView.AllowedRoutes.From;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads GatewayClasses and Gateways: the CRDs' defaults, after their validation. */
final class GatewayReader {

  private static final Set<String> TLS_MODES = Set.of("Terminate", "Passthrough");
  private static final Set<String> NO_HOSTNAME_PROTOCOLS = Set.of("TCP", "UDP");
  private static final Set<String> NO_TLS_PROTOCOLS = Set.of("HTTP", "TCP", "UDP");
  private static final Set<String> SELECTOR_OPERATORS =
      Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private GatewayReader() {}

  static Read<GatewayClassView> gatewayClass(GatewayClass gatewayClass) {
    FieldErrors errors = new FieldErrors();
    var spec = gatewayClass.getSpec();
    if (spec == null) {
      errors.required("spec");
      return Read.of(errors, () -> null);
    }
    errors.text(
        "spec.controllerName",
        spec.getControllerName(),
        Formats.CONTROLLER_NAME,
        1,
        253,
        "a domain-prefixed path such as example.com/controller");
    errors.optionalText("spec.description", spec.getDescription(), null, 0, 64, "a description");
    ParametersReference written = spec.getParametersRef();
    Optional<TargetRef> parametersRef = Optional.empty();
    if (written != null) {
      String field = "spec.parametersRef";
      errors.text(field + ".group", written.getGroup(), Formats.GROUP, 0, 253, "an API group");
      errors.text(field + ".kind", written.getKind(), Formats.KIND, 1, 63, "a kind");
      errors.text(field + ".name", written.getName(), null, 1, 253, "a name");
      errors.optionalText(
          field + ".namespace", written.getNamespace(), Formats.NAMESPACE, 1, 63, "a namespace");
      if (errors.isEmpty()) {
        parametersRef =
            Optional.of(
                new TargetRef(
                    written.getGroup(),
                    written.getKind(),
                    written.getName(),
                    Optional.ofNullable(written.getNamespace())));
      }
    }
    Optional<TargetRef> parameters = parametersRef;
    return Read.of(
        errors,
        () ->
            new GatewayClassView(
                ObjectFacts.clusterScoped(gatewayClass), spec.getControllerName(), parameters));
  }

  static Read<GatewayView> gateway(Gateway gateway) {
    FieldErrors errors = new FieldErrors();
    GatewaySpec spec = gateway.getSpec();
    if (spec == null) {
      errors.required("spec");
      return Read.of(errors, () -> null);
    }
    errors.text(
        "spec.gatewayClassName", spec.getGatewayClassName(), Formats.NAME, 1, 253, "a class name");
    List<Listener> listeners = Lists.of(spec.getListeners());
    errors.size("spec.listeners", listeners, 1, 64);
    List<ListenerView> views = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> triples = new HashSet<>();
    for (int i = 0; i < listeners.size(); i++) {
      String field = "spec.listeners[" + i + "]";
      Listener listener = listeners.get(i);
      ListenerView view = listener(field, listener, errors);
      if (listener.getName() != null && !names.add(listener.getName())) {
        errors.invalid(field + ".name", listener.getName(), "a name no other listener has");
      }
      String triple =
          listener.getPort() + "/" + listener.getProtocol() + "/" + listener.getHostname();
      if (!triples.add(triple)) {
        errors.add(
            field,
            "port, protocol and hostname "
                + triple
                + " (expected: a combination no other listener has)");
      }
      if (view != null) {
        views.add(view);
      }
    }
    List<GatewayView.Address> addresses = new ArrayList<>();
    List<GatewaySpecAddress> specAddresses = Lists.of(spec.getAddresses());
    errors.size("spec.addresses", specAddresses, 0, 16);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < specAddresses.size(); i++) {
      String field = "spec.addresses[" + i + "]";
      GatewaySpecAddress address = specAddresses.get(i);
      String type = address.getType() == null ? "IPAddress" : address.getType();
      boolean ok =
          errors.text(field + ".type", type, Formats.ADDRESS_TYPE, 1, 253, "an address type");
      ok &= errors.optionalText(field + ".value", address.getValue(), null, 0, 253, "an address");
      String value = address.getValue() == null ? "" : address.getValue();
      if (type.equals("Hostname") && !value.isEmpty()) {
        ok &=
            errors.optionalText(
                field + ".value", value, Formats.PRECISE_HOSTNAME, 1, 253, "a hostname");
      }
      if ((type.equals("IPAddress") || type.equals("Hostname"))
          && !value.isEmpty()
          && !seen.add(type + "/" + value)) {
        errors.invalid(field + ".value", value, "an address no other entry has");
        ok = false;
      }
      if (ok) {
        addresses.add(new GatewayView.Address(type, value));
      }
    }
    Optional<TargetRef> infrastructureParameters = Optional.empty();
    if (spec.getInfrastructure() != null && spec.getInfrastructure().getParametersRef() != null) {
      var ref = spec.getInfrastructure().getParametersRef();
      String field = "spec.infrastructure.parametersRef";
      boolean ok =
          errors.text(field + ".group", ref.getGroup(), Formats.GROUP, 0, 253, "an API group");
      ok &= errors.text(field + ".kind", ref.getKind(), Formats.KIND, 1, 63, "a kind");
      ok &= errors.text(field + ".name", ref.getName(), null, 1, 253, "a name");
      if (ok) {
        infrastructureParameters =
            Optional.of(
                new TargetRef(ref.getGroup(), ref.getKind(), ref.getName(), Optional.empty()));
      }
    }
    Optional<TargetRef> parameters = infrastructureParameters;
    return Read.of(
        errors,
        () ->
            new GatewayView(
                ObjectFacts.of(gateway), spec.getGatewayClassName(), views, addresses, parameters));
  }

  /** Reads one listener; {@code null} when it has problems, which {@code errors} then holds. */
  private static @Nullable ListenerView listener(
      String field, Listener listener, FieldErrors errors) {
    FieldErrors own = new FieldErrors();
    own.text(field + ".name", listener.getName(), Formats.NAME, 1, 253, "a listener name");
    if (listener.getPort() == null) {
      own.required(field + ".port");
    } else {
      own.range(field + ".port", listener.getPort(), 1, 65535);
    }
    String protocol = listener.getProtocol();
    own.text(field + ".protocol", protocol, Formats.PROTOCOL, 1, 255, "a protocol name");
    String hostname = listener.getHostname();
    own.optionalText(field + ".hostname", hostname, Formats.HOSTNAME, 1, 253, "a hostname");
    if (hostname != null && NO_HOSTNAME_PROTOCOLS.contains(protocol)) {
      own.invalid(field + ".hostname", hostname, "none for protocol " + protocol);
    }
    ListenerTLSConfig tls = listener.getTls();
    Optional<ListenerView.Tls> tlsView = Optional.empty();
    if (tls != null && NO_TLS_PROTOCOLS.contains(protocol)) {
      own.add(field + ".tls", "given (expected: none for protocol " + protocol + ")");
    } else if (tls != null) {
      String mode = tls.getMode() == null ? ListenerView.Tls.TERMINATE : tls.getMode();
      if (!TLS_MODES.contains(mode)) {
        own.invalid(field + ".tls.mode", mode, "Terminate or Passthrough");
      } else if ("HTTPS".equals(protocol) && !mode.equals(ListenerView.Tls.TERMINATE)) {
        own.invalid(field + ".tls.mode", mode, "Terminate for protocol HTTPS");
      }
      List<SecretObjectReference> refs = Lists.of(tls.getCertificateRefs());
      own.size(field + ".tls.certificateRefs", refs, 0, 64);
      if (mode.equals(ListenerView.Tls.TERMINATE)
          && refs.isEmpty()
          && (tls.getOptions() == null || tls.getOptions().isEmpty())) {
        own.add(
            field + ".tls",
            "mode Terminate without certificateRefs or options (expected: at least one)");
      }
      List<TargetRef> certificates = new ArrayList<>();
      for (int i = 0; i < refs.size(); i++) {
        SecretObjectReference ref = refs.get(i);
        String refField = field + ".tls.certificateRefs[" + i + "]";
        String group = ref.getGroup() == null ? GatewayApi.CORE_GROUP : ref.getGroup();
        String kind = ref.getKind() == null ? GatewayApi.SECRET : ref.getKind();
        boolean ok = own.text(refField + ".group", group, Formats.GROUP, 0, 253, "an API group");
        ok &= own.text(refField + ".kind", kind, Formats.KIND, 1, 63, "a kind");
        ok &= own.text(refField + ".name", ref.getName(), null, 1, 253, "a name");
        ok &=
            own.optionalText(
                refField + ".namespace",
                ref.getNamespace(),
                Formats.NAMESPACE,
                1,
                63,
                "a namespace");
        if (ok) {
          certificates.add(
              new TargetRef(group, kind, ref.getName(), Optional.ofNullable(ref.getNamespace())));
        }
      }
      tlsView = Optional.of(new ListenerView.Tls(mode, certificates));
    } else if ("TLS".equals(protocol)) {
      own.add(field + ".tls", "missing (expected: tls.mode for protocol TLS)");
    }
    ListenerView.AllowedRoutes allowed = allowedRoutes(field + ".allowedRoutes", listener, own);
    errors.problemsFrom(own);
    if (!own.isEmpty()) {
      return null;
    }
    return new ListenerView(
        listener.getName(),
        Optional.ofNullable(hostname).map(Hostname::of),
        listener.getPort(),
        protocol,
        tlsView,
        allowed);
  }

  private static ListenerView.AllowedRoutes allowedRoutes(
      String field, Listener listener, FieldErrors errors) {
    AllowedRoutes allowed = listener.getAllowedRoutes();
    if (allowed == null) {
      return ListenerView.AllowedRoutes.DEFAULT;
    }
    From from = From.SAME;
    Optional<NamespaceSelector> selector = Optional.empty();
    RouteNamespaces namespaces = allowed.getNamespaces();
    if (namespaces != null && namespaces.getFrom() != null) {
      switch (namespaces.getFrom()) {
        case "All" -> from = From.ALL;
        case "Same" -> from = From.SAME;
        case "Selector" -> from = From.SELECTOR;
        default ->
            errors.invalid(
                field + ".namespaces.from", namespaces.getFrom(), "All, Same or Selector");
      }
    }
    if (namespaces != null && namespaces.getSelector() != null) {
      selector =
          Optional.of(selector(field + ".namespaces.selector", namespaces.getSelector(), errors));
    }
    if (from == From.SELECTOR && selector.isEmpty()) {
      errors.add(
          field + ".namespaces.selector", "missing (expected: a selector for from: Selector)");
    }
    List<RouteGroupKind> kinds = Lists.of(allowed.getKinds());
    errors.size(field + ".kinds", kinds, 0, 8);
    List<GroupKind> groupKinds = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      RouteGroupKind kind = kinds.get(i);
      String group = kind.getGroup() == null ? GatewayApi.GROUP : kind.getGroup();
      boolean ok =
          errors.text(
              field + ".kinds[" + i + "].group", group, Formats.GROUP, 0, 253, "an API group");
      ok &=
          errors.text(
              field + ".kinds[" + i + "].kind", kind.getKind(), Formats.KIND, 1, 63, "a kind");
      if (ok) {
        groupKinds.add(new GroupKind(group, kind.getKind()));
      }
    }
    return new ListenerView.AllowedRoutes(from, selector, groupKinds);
  }

  private static NamespaceSelector selector(
      String field, LabelSelector selector, FieldErrors errors) {
    Map<String, String> labels =
        selector.getMatchLabels() == null ? Map.of() : new HashMap<>(selector.getMatchLabels());
    List<NamespaceSelector.Requirement> requirements = new ArrayList<>();
    List<LabelSelectorRequirement> expressions = Lists.of(selector.getMatchExpressions());
    for (int i = 0; i < expressions.size(); i++) {
      LabelSelectorRequirement expression = expressions.get(i);
      String expressionField = field + ".matchExpressions[" + i + "]";
      String operator = expression.getOperator();
      List<String> values = Lists.of(expression.getValues());
      if (expression.getKey() == null) {
        errors.required(expressionField + ".key");
      } else if (operator == null || !SELECTOR_OPERATORS.contains(operator)) {
        errors.invalid(
            expressionField + ".operator", operator, "In, NotIn, Exists or DoesNotExist");
      } else if ((operator.equals("In") || operator.equals("NotIn")) == values.isEmpty()) {
        errors.add(
            expressionField + ".values",
            values.size() + " values (expected: some for In and NotIn, none otherwise)");
      } else {
        requirements.add(new NamespaceSelector.Requirement(expression.getKey(), operator, values));
      }
    }
    return new NamespaceSelector(labels, requirements);
  }
}
