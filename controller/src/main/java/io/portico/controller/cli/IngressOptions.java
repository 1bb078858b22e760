package io.portico.controller.cli;

import io.portico.controller.translate.TranslatorSettings;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The flags of translation: which Ingresses are Portico's, and what answers unmatched requests. */
final class IngressOptions {

  @Option(
      names = "--ingress-class",
      paramLabel = "NAME",
      defaultValue = "portico",
      description =
          "Ingresses naming this class are Portico's even without an IngressClass object (default: ${DEFAULT-VALUE}).")
  String ingressClass;

  @Option(
      names = "--controller-class",
      paramLabel = "NAME",
      defaultValue = TranslatorSettings.CONTROLLER_NAME,
      description =
          "The spec.controller of the IngressClasses Portico serves (default: ${DEFAULT-VALUE}).")
  String controllerClass;

  @Option(
      names = "--watch-ingress-without-class",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "false",
      description = "Serve Ingresses that name no class (default: ${DEFAULT-VALUE}).")
  boolean watchIngressWithoutClass;

  @Option(
      names = "--default-backend",
      paramLabel = "NAMESPACE/SERVICE[:PORT]",
      description = "Service that answers requests no rule matches (default: Portico's own 404).")
  @Nullable String defaultBackend;

  TranslatorSettings translatorSettings() {
    return new TranslatorSettings(
        ingressClass,
        controllerClass,
        watchIngressWithoutClass,
        Optional.ofNullable(defaultBackend).map(TranslatorSettings.ServiceRef::parse));
  }
}
