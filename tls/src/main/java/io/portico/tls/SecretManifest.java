package io.portico.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code kubernetes.io/tls} Secret that {@link Certgen} writes as {@code secret.yaml}: its name
 * and namespace, checked against the Kubernetes naming rules, and its YAML text.
 *
 * @param namespace a DNS-1123 label
 * @param name a DNS-1123 subdomain
 */
record SecretManifest(String namespace, String name) {

  // Kubernetes object name rules (DNS-1123 label for namespaces, subdomain for Secret names).
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int MAX_SUBDOMAIN_LENGTH = 253;

  /**
   * The Secret of a certificate whose first name (DNS name or IP address) is {@code firstName}.
   *
   * @param secretName the Secret's name, or {@code null} to derive it from {@code firstName} (see
   *     {@link #defaultName})
   * @throws CertgenException when the namespace or the name is not a valid Kubernetes name
   */
  static SecretManifest of(String namespace, @Nullable String secretName, String firstName)
      throws CertgenException {
    if (!DNS_LABEL.matcher(namespace).matches()) {
      throw new CertgenException(
          "namespace: \""
              + namespace
              + "\" (expected: a Kubernetes namespace name: at most 63 lower-case letters, digits"
              + " and '-', starting and ending with a letter or digit)");
    }
    String name = secretName != null ? secretName : defaultName(firstName);
    if (name.length() > MAX_SUBDOMAIN_LENGTH || !DNS_SUBDOMAIN.matcher(name).matches()) {
      throw new CertgenException(
          "secret name: \""
              + name
              + "\" (expected: a Kubernetes object name: at most 253 lower-case letters, digits,"
              + " '-' and '.', starting and ending with a letter or digit)");
    }
    return new SecretManifest(namespace, name);
  }

  /**
   * The Secret name derived from the first name: {@code app.test -> app-test-tls}, {@code
   * *.example.com -> wildcard-example-com-tls}, {@code 127.0.0.1 -> 127-0-0-1-tls}.
   */
  static String defaultName(String firstName) {
    String base = firstName.toLowerCase(Locale.ROOT).replace("*", "wildcard");
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < base.length(); i++) {
      char c = base.charAt(i);
      boolean keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (keep) {
        name.append(c);
      } else if (name.length() > 0 && name.charAt(name.length() - 1) != '-') {
        name.append('-');
      }
    }
    String trimmed = name.toString();
    int maxBase = MAX_SUBDOMAIN_LENGTH - "-tls".length();
    if (trimmed.length() > maxBase) {
      trimmed = trimmed.substring(0, maxBase);
    }
    while (trimmed.endsWith("-")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? "tls" : trimmed + "-tls";
  }

  /**
   * The manifest. Written by hand (this module has no YAML library): the name and namespace were
   * validated as Kubernetes names and are quoted anyway, so that a name such as {@code 123} or
   * {@code true} stays a string; the data values are base64 text.
   *
   * @param names the certificate's DNS names and IP addresses, for the comment at the top
   */
  String yaml(String certificatePem, String keyPem, List<String> names) {
    Base64.Encoder base64 = Base64.getEncoder();
    return "# A kubernetes.io/tls Secret written by portico certgen for: "
        + String.join(", ", names)
        + "\n# kubectl apply -f secret.yaml, or keep it in a folder for portico run --manifests.\n"
        + "apiVersion: v1\n"
        + "kind: Secret\n"
        + "metadata:\n"
        + "  name: \""
        + name
        + "\"\n"
        + "  namespace: \""
        + namespace
        + "\"\n"
        + "type: kubernetes.io/tls\n"
        + "data:\n"
        + "  tls.crt: "
        + new String(base64.encode(certificatePem.getBytes(UTF_8)), US_ASCII)
        + "\n"
        + "  tls.key: "
        + new String(base64.encode(keyPem.getBytes(UTF_8)), US_ASCII)
        + "\n";
  }

  /** {@code namespace/name}. */
  String qualifiedName() {
    return namespace + "/" + name;
  }
}
