package io.portico.controller.annotations;

import io.portico.router.policy.ClosedPolicy;
import io.portico.router.route.BackendTls;
import io.portico.tls.Pem;
import io.portico.tls.TlsKeyPair;
import io.portico.tls.TlsMaterialException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * TLS towards the backends of {@code backend-protocol: HTTPS} and {@code GRPCS}: {@code
 * proxy-ssl-secret} ({@code namespace/name}: {@code ca.crt}, the CAs to verify the backend with;
 * {@code tls.crt} and {@code tls.key}, the certificate Portico shows it), {@code proxy-ssl-verify}
 * ({@code on}/{@code off}, off by default), {@code proxy-ssl-verify-depth} (1), {@code
 * proxy-ssl-name} (the name checked and sent by SNI), {@code proxy-ssl-server-name} ({@code off}),
 * {@code proxy-ssl-protocols} ({@code TLSv1.2}) and {@code proxy-ssl-ciphers} ({@code DEFAULT}),
 * with ingress-nginx's syntax and defaults. As in ingress-nginx, the others apply only with the
 * Secret, and none applies to a backend spoken to in clear text.
 *
 * <p>Fail closed, never served unverified: as ingress-nginx denies the location, every route of the
 * Ingress answers 503 ({@link ClosedPolicy}), with a warning naming the Secret, when the reference
 * is not {@code namespace/name}, names another namespace without the controller ConfigMap's {@code
 * allow-cross-namespace-resources}, or the Secret is missing or holds neither a CA nor a usable key
 * pair. The Secret may appear or be fixed later: its change reads the Ingress again. Portico is
 * stricter than ingress-nginx in one place: a {@code proxy-ssl-verify} that is neither {@code on}
 * nor {@code off} closes the routes too, where ingress-nginx would quietly not verify.
 */
public final class ProxySslFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "proxy-ssl";

  static final String SECRET = "proxy-ssl-secret";
  static final String VERIFY = "proxy-ssl-verify";
  static final String VERIFY_DEPTH = "proxy-ssl-verify-depth";
  static final String SSL_NAME = "proxy-ssl-name";
  static final String SERVER_NAME = "proxy-ssl-server-name";
  static final String PROTOCOLS = "proxy-ssl-protocols";
  static final String CIPHERS = "proxy-ssl-ciphers";

  private static final List<String> OTHERS =
      List.of(CIPHERS, SSL_NAME, PROTOCOLS, SERVER_NAME, VERIFY, VERIFY_DEPTH);

  private static final Set<String> ANNOTATIONS =
      Set.of(SECRET, CIPHERS, SSL_NAME, PROTOCOLS, SERVER_NAME, VERIFY, VERIFY_DEPTH);

  /** The key of the trusted CAs, and of the client certificate and its key, in the Secret. */
  static final String CA_KEY = "ca.crt";

  static final String CERT_KEY = "tls.crt";
  static final String KEY_KEY = "tls.key";

  /** A namespace (a DNS label), a slash and a Secret name (a DNS subdomain). */
  private static final Pattern REFERENCE =
      Pattern.compile(
          "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/[a-z0-9]([-a-z0-9]*[a-z0-9])?"
              + "(?:\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** A host name, a wildcard first label allowed, as ingress-nginx's server name check. */
  private static final Pattern SERVER =
      Pattern.compile("(?i)(\\*\\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private static final Pattern PROTOCOL_LIST = Pattern.compile("(TLSv1\\.2|TLSv1\\.3| )*");

  /** OpenSSL's cipher string syntax, as ingress-nginx accepts it. */
  private static final Pattern CIPHER_LIST = Pattern.compile("[A-Za-z0-9+:_\\-!]*");

  private static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.2");

  private static final String CLOSED = "every route of the Ingress answers 503";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> annotations() {
    return ANNOTATIONS;
  }

  @Override
  public void read(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    Optional<String> reference = values.get(SECRET).filter(value -> !value.isEmpty());
    if (reference.isEmpty()) {
      for (String name : OTHERS) {
        if (values.has(name)) {
          report.unused(name, "read only with proxy-ssl-secret, as in ingress-nginx");
        }
      }
      return;
    }
    String shown = "\"" + reference.get() + "\"";
    Optional<Boolean> verify = onOff(values, VERIFY, report);
    int depth = depth(values, report);
    String name = sslName(values, report);
    boolean serverName = onOff(values, SERVER_NAME, report).orElse(false);
    List<String> protocols = protocols(values, report);
    List<String> ciphers = ciphers(values, report);

    if (!REFERENCE.matcher(reference.get()).matches()) {
      close(
          policy,
          report,
          SECRET,
          shown,
          "namespace/name of a Secret",
          "proxy-ssl-secret " + shown + " is not namespace/name");
      return;
    }
    ObjectReference secretReference = ObjectReference.parse(reference.get(), context);
    String namespace = secretReference.namespace();
    String secretName = secretReference.name();
    String secret = secretReference.toString();
    if (!secretReference.allowedFor(context)) {
      close(
          policy,
          report,
          SECRET,
          shown,
          ObjectReference.sameNamespace("Secret", context),
          "Secret " + secret + " is in another namespace");
      return;
    }
    if (verify.isEmpty()) {
      close(
          policy,
          report,
          VERIFY,
          values.get(VERIFY).orElse(""),
          "on or off; Portico does not guess whether to verify the backend",
          "proxy-ssl-verify is neither on nor off");
      return;
    }
    Optional<SecretLookup.Content> content = context.secrets().secret(namespace, secretName);
    if (content.isEmpty()) {
      close(
          policy,
          report,
          SECRET,
          shown,
          "a Secret that exists: " + secret + " does not",
          "Secret " + secret + " not found");
      return;
    }
    Material material = material(content.get(), secret, shown, report);
    if (material.problem().isPresent()) {
      close(
          policy,
          report,
          SECRET,
          shown,
          material.problem().get(),
          "Secret " + secret + ": " + material.problem().get());
      return;
    }
    if (verify.get() && material.caPem().isEmpty()) {
      report.invalid(
          VERIFY,
          "on",
          "a Secret with " + CA_KEY + " to verify the backend with: " + secret + " has none",
          "every request to the backend answers 502");
    }
    if (!speaksTls(values)) {
      for (String annotation : ANNOTATIONS) {
        if (values.has(annotation)) {
          report.unused(
              annotation,
              "the backend is spoken to in clear text (backend-protocol is not HTTPS or GRPCS),"
                  + " as nginx ignores its proxy_ssl settings then");
        }
      }
    }
    policy.backendTls(
        new BackendTls(
            material.caPem(),
            material.certificatePem(),
            material.keyPem(),
            verify.get(),
            depth,
            name,
            serverName,
            protocols,
            ciphers,
            false,
            List.of()));
  }

  /**
   * What the Secret gives: the CAs, and a key pair (re-encoded as PEM every TLS stack reads); a
   * problem when it gives neither, or what it gives does not parse.
   */
  private static Material material(
      SecretLookup.Content content, String secret, String shown, AnnotationReport report) {
    String ca = content.data().getOrDefault(CA_KEY, "");
    String cert = content.data().getOrDefault(CERT_KEY, "");
    String key = content.data().getOrDefault(KEY_KEY, "");
    boolean pair = !cert.isBlank() && !key.isBlank();
    if (!pair && ca.isBlank()) {
      Set<String> unreadable = new TreeSet<>(content.unreadable());
      return Material.problem(
          "a Secret with "
              + CA_KEY
              + ", or "
              + CERT_KEY
              + " and "
              + KEY_KEY
              + ": "
              + secret
              + " holds neither"
              + (unreadable.isEmpty() ? "" : " (not valid base64: " + unreadable + ")"));
    }
    String caPem = "";
    if (!ca.isBlank()) {
      Optional<String> problem = caProblem(ca);
      if (problem.isPresent()) {
        return Material.problem(CA_KEY + " " + problem.get());
      }
      caPem = ca;
    }
    if (!pair) {
      if (!cert.isBlank() || !key.isBlank()) {
        report.invalid(
            SECRET,
            shown,
            CERT_KEY + " and " + KEY_KEY + " together",
            "Secret " + secret + " has one of them only: no client certificate is shown");
      }
      return new Material(caPem, "", "", Optional.empty());
    }
    try {
      TlsKeyPair keyPair = TlsKeyPair.fromPem(cert, key);
      return new Material(
          caPem,
          Pem.certificates(keyPair.chain()),
          Pem.privateKey(keyPair.privateKey()),
          Optional.empty());
    } catch (TlsMaterialException e) {
      return Material.problem(String.valueOf(e.getMessage()));
    }
  }

  /** Why {@code pem} is not a list of certificates; empty when it is. */
  private static Optional<String> caProblem(String pem) {
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      return Optional.of("holds no PEM certificate");
    }
    try {
      Collection<? extends Certificate> read =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      return read.isEmpty() ? Optional.of("holds no PEM certificate") : Optional.empty();
    } catch (CertificateException e) {
      return Optional.of("is not valid PEM certificates");
    }
  }

  /** Whether {@code backend-protocol} asks for TLS ({@code HTTPS}, {@code GRPCS}). */
  private static boolean speaksTls(AnnotationValues values) {
    String protocol = values.get("backend-protocol").orElse("").strip().toUpperCase(Locale.ROOT);
    return protocol.equals("HTTPS") || protocol.equals("GRPCS");
  }

  /** {@code on} or {@code off}; unset is off; anything else is empty, reported by the caller. */
  private static Optional<Boolean> onOff(
      AnnotationValues values, String name, AnnotationReport report) {
    Optional<String> value = values.get(name);
    if (value.isEmpty() || value.get().equals("off")) {
      return Optional.of(false);
    }
    if (value.get().equals("on")) {
      return Optional.of(true);
    }
    if (name.equals(SERVER_NAME)) {
      report.invalid(name, value.get(), "on or off", "using off");
      return Optional.of(false);
    }
    return Optional.empty();
  }

  private static int depth(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get(VERIFY_DEPTH);
    if (value.isEmpty()) {
      return 1;
    }
    try {
      int depth = Integer.parseInt(value.get());
      if (depth > 0) {
        return depth;
      }
      if (depth == 0) {
        // ingress-nginx reads 0 as its default.
        return 1;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    report.invalid(VERIFY_DEPTH, value.get(), "a whole number of 1 or more", "using 1");
    return 1;
  }

  private static String sslName(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get(SSL_NAME);
    if (value.isEmpty() || value.get().isEmpty()) {
      return "";
    }
    if (SERVER.matcher(value.get()).matches() && value.get().length() <= 253) {
      return value.get().toLowerCase(Locale.ROOT);
    }
    report.invalid(SSL_NAME, value.get(), "a host name", "not set");
    return "";
  }

  /** The versions listed, sorted; TLSv1.2 when unset or invalid, as in ingress-nginx. */
  private static List<String> protocols(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get(PROTOCOLS);
    if (value.isEmpty()) {
      return DEFAULT_PROTOCOLS;
    }
    if (!PROTOCOL_LIST.matcher(value.get()).matches()) {
      report.invalid(
          PROTOCOLS, value.get(), "TLSv1.2 and TLSv1.3, separated by spaces", "using TLSv1.2");
      return DEFAULT_PROTOCOLS;
    }
    TreeSet<String> listed = new TreeSet<>(List.of(value.get().strip().split("\\s+")));
    listed.remove("");
    return listed.isEmpty() ? DEFAULT_PROTOCOLS : List.copyOf(listed);
  }

  /**
   * The TLS 1.2 suites, as Java names them; empty for the JDK's defaults ({@code DEFAULT}, or a
   * value Portico cannot read). Portico reads a list of suite names, in OpenSSL's spelling or
   * Java's, separated by colons; OpenSSL's keywords and operators ({@code HIGH}, {@code !aNULL})
   * have no equivalent here and are reported.
   */
  private static List<String> ciphers(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get(CIPHERS);
    if (value.isEmpty() || value.get().isEmpty() || value.get().equals("DEFAULT")) {
      return List.of();
    }
    if (!CIPHER_LIST.matcher(value.get()).matches()) {
      report.invalid(CIPHERS, value.get(), "an OpenSSL cipher list", "using DEFAULT");
      return List.of();
    }
    List<String> suites = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String suite : value.get().split(":")) {
      if (suite.isEmpty()) {
        continue;
      }
      Optional<String> java = BackendTls.javaCipherSuite(suite);
      if (java.isPresent()) {
        suites.add(java.get());
      } else {
        unknown.add(suite);
      }
    }
    if (!unknown.isEmpty() || suites.isEmpty()) {
      report.invalid(
          CIPHERS,
          value.get(),
          "cipher suite names separated by colons (" + String.join(", ", unknown) + " is not one)",
          "using the JDK's default suites, which leave out weak ones");
      return List.of();
    }
    return List.copyOf(suites);
  }

  /** Warns, and closes every route of the Ingress: 503, never served unverified. */
  private static void close(
      IngressPolicy.Builder policy,
      AnnotationReport report,
      String annotation,
      String shown,
      String expected,
      String reason) {
    report.invalid(annotation, shown, expected, CLOSED);
    policy.routeRule(new BasicAuthFamily.EveryRoute(new ClosedPolicy(reason)));
  }

  /** What a Secret gives, or the problem that stops it. */
  private record Material(
      String caPem, String certificatePem, String keyPem, Optional<String> problem) {
    static Material problem(String problem) {
      return new Material("", "", "", Optional.of(problem));
    }
  }
}
