package io.portico.controller.cli;

import io.portico.controller.annotations.SnippetAnnotations;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.translate.TranslatorSettings;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

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

  @Option(
      names = "--configmap",
      paramLabel = "NAMESPACE/NAME",
      description =
          "The controller ConfigMap (ingress-nginx's keys, docs/configmap.md): watched in a"
              + " cluster, read from the folder with --manifests (default: none, built-in"
              + " defaults).")
  String configMap;

  @Option(
      names = "--allow-external-name-services",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "true",
      description =
          "Forward to ExternalName Services; never to an address only Portico could reach"
              + " (loopback, link-local, its own) (default: ${DEFAULT-VALUE}).")
  boolean allowExternalNameServices;

  @Option(
      names = "--snippet-annotations",
      paramLabel = "refuse|ignore",
      defaultValue = "refuse",
      converter = SnippetAnnotationsConverter.class,
      description =
          "An Ingress with a *-snippet annotation (nginx configuration text, never interpreted):"
              + " refuse serves nothing of it; ignore serves it without the snippet, with a"
              + " warning (default: ${DEFAULT-VALUE}).")
  SnippetAnnotations snippetAnnotations;

  /** {@code refuse} or {@code ignore}, in any case, whatever the command line's enum setting. */
  static final class SnippetAnnotationsConverter implements ITypeConverter<SnippetAnnotations> {
    @Override
    public SnippetAnnotations convert(String value) {
      for (SnippetAnnotations choice : SnippetAnnotations.values()) {
        if (choice.name().equalsIgnoreCase(value)) {
          return choice;
        }
      }
      throw new TypeConversionException("'" + value + "' (expected: refuse or ignore)");
    }
  }

  TranslatorSettings translatorSettings() {
    return new TranslatorSettings(
        ingressClass,
        controllerClass,
        watchIngressWithoutClass,
        Optional.ofNullable(defaultBackend).map(TranslatorSettings.ServiceRef::parse),
        allowExternalNameServices,
        Optional.ofNullable(configMap).map(IngressOptions::configMapKey),
        snippetAnnotations);
  }

  private static ObjectKey configMapKey(String text) {
    try {
      return ObjectKey.parse(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--configmap: " + e.getMessage(), e);
    }
  }
}
