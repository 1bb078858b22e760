package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.portico.controller.annotations.SnippetAnnotations;
import io.portico.controller.gateway.GatewaySettings;
import io.portico.controller.snapshot.ObjectKey;
import java.util.Optional;

/**
 * The controller flags translation depends on.
 *
 * @param ingressClass {@code --ingress-class}: Ingresses naming this class are Portico's even when
 *     no IngressClass object of that name exists
 * @param controllerName the {@code spec.controller} of Portico's IngressClasses
 * @param watchIngressWithoutClass {@code --watch-ingress-without-class}: Ingresses without any
 *     class are Portico's
 * @param defaultBackend {@code --default-backend}: the Service (and optionally port) that answers
 *     what no rule matches
 * @param allowExternalNameServices {@code --allow-external-name-services}: whether ExternalName
 *     Services are forwarded to (else their rules answer 503 with an {@code ExternalNameDisabled}
 *     warning)
 * @param configMap {@code --configmap}: the controller ConfigMap; without it, every key has its
 *     built-in default
 * @param snippetAnnotations {@code --snippet-annotations}: whether an Ingress with a snippet
 *     annotation is refused or served without the snippet
 * @param gateway what the Gateway API translation depends on: {@code --gateway-api}, {@code
 *     --gateway-listener-ports} and the addresses Gateways are given
 */
public record TranslatorSettings(
    String ingressClass,
    String controllerName,
    boolean watchIngressWithoutClass,
    Optional<ServiceRef> defaultBackend,
    boolean allowExternalNameServices,
    Optional<ObjectKey> configMap,
    SnippetAnnotations snippetAnnotations,
    GatewaySettings gateway) {

  /** The IngressClass controller name Portico answers to. */
  public static final String CONTROLLER_NAME = "portico.io/ingress-controller";

  public TranslatorSettings {
    requireNonNull(ingressClass, "ingressClass");
    requireNonNull(controllerName, "controllerName");
    requireNonNull(defaultBackend, "defaultBackend");
    requireNonNull(configMap, "configMap");
    requireNonNull(snippetAnnotations, "snippetAnnotations");
    requireNonNull(gateway, "gateway");
  }

  /** The Ingress flags, with the Gateway API's {@linkplain GatewaySettings#defaults defaults}. */
  public TranslatorSettings(
      String ingressClass,
      String controllerName,
      boolean watchIngressWithoutClass,
      Optional<ServiceRef> defaultBackend,
      boolean allowExternalNameServices,
      Optional<ObjectKey> configMap,
      SnippetAnnotations snippetAnnotations) {
    this(
        ingressClass,
        controllerName,
        watchIngressWithoutClass,
        defaultBackend,
        allowExternalNameServices,
        configMap,
        snippetAnnotations,
        GatewaySettings.defaults());
  }

  public static TranslatorSettings defaults() {
    return new TranslatorSettings(
        "portico",
        CONTROLLER_NAME,
        false,
        Optional.empty(),
        true,
        Optional.empty(),
        SnippetAnnotations.REFUSE);
  }

  /** These settings reading the controller ConfigMap {@code configMap}. */
  public TranslatorSettings withConfigMap(ObjectKey configMap) {
    return new TranslatorSettings(
        ingressClass,
        controllerName,
        watchIngressWithoutClass,
        defaultBackend,
        allowExternalNameServices,
        Optional.of(configMap),
        snippetAnnotations,
        gateway);
  }

  /** These settings with another {@code --snippet-annotations}. */
  public TranslatorSettings withSnippetAnnotations(SnippetAnnotations snippetAnnotations) {
    return new TranslatorSettings(
        ingressClass,
        controllerName,
        watchIngressWithoutClass,
        defaultBackend,
        allowExternalNameServices,
        configMap,
        snippetAnnotations,
        gateway);
  }

  /** These settings with other Gateway API settings. */
  public TranslatorSettings withGateway(GatewaySettings newGateway) {
    return new TranslatorSettings(
        ingressClass,
        controllerName,
        watchIngressWithoutClass,
        defaultBackend,
        allowExternalNameServices,
        configMap,
        snippetAnnotations,
        newGateway);
  }

  /**
   * A Service and port named on the command line: {@code namespace/name} (its first port) or {@code
   * namespace/name:port} (a port number or name).
   */
  public record ServiceRef(ObjectKey service, Optional<String> port) {

    public ServiceRef {
      requireNonNull(service, "service");
      requireNonNull(port, "port");
    }

    /**
     * Parses {@code namespace/name[:port]}.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static ServiceRef parse(String text) {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        return new ServiceRef(ObjectKey.parse(text), Optional.empty());
      }
      String port = text.substring(colon + 1);
      if (port.isEmpty()) {
        throw new IllegalArgumentException("'" + text + "' (expected: namespace/name[:port])");
      }
      return new ServiceRef(ObjectKey.parse(text.substring(0, colon)), Optional.of(port));
    }

    @Override
    public String toString() {
      return service + port.map(p -> ":" + p).orElse("");
    }
  }
}
