package io.portico.controller.annotations;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.portico.router.access.ClientCertificatePolicy;
import io.portico.router.access.ClientCertificateUnusablePolicy;
import io.portico.router.access.ClientVerifyMode;
import io.portico.tls.ClientCertificateAuthority;
import io.portico.tls.TlsMaterialException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Client certificate authentication: {@code auth-tls-secret} ({@code name} or {@code
 * namespace/name}: the CA certificates under the key {@code ca.crt}, and CRLs under {@code ca.crl}
 * when present), {@code auth-tls-verify-client} ({@code on}, the default, {@code off}, {@code
 * optional}, {@code optional_no_ca}), {@code auth-tls-verify-depth} (default 1), {@code
 * auth-tls-error-page}, {@code auth-tls-pass-certificate-to-upstream} and {@code
 * auth-tls-match-cn}. Every route of the Ingress gets one {@link ClientCertificatePolicy}; the
 * HTTPS listener asks for a certificate in the handshakes of the hosts whose routes have one.
 *
 * <p>Fail closed, never served open:
 *
 * <ul>
 *   <li>a value ingress-nginx rejects ({@code auth-tls-match-cn} not {@code CN=} and a pattern, a
 *       malformed {@code auth-tls-error-page}, a {@code auth-tls-pass-certificate-to-upstream} that
 *       is not a boolean), a malformed {@code auth-tls-secret}, a Secret in another namespace
 *       (unless {@code allow-cross-namespace-resources}), or {@code auth-tls-verify-client} or
 *       {@code auth-tls-match-cn} without {@code auth-tls-secret} (which ingress-nginx would serve
 *       open) refuses the Ingress;
 *   <li>an {@code auth-tls-verify-client} or {@code auth-tls-verify-depth} that does not read is a
 *       warning, and the strict default applies ({@code on}, 1), as in ingress-nginx;
 *   <li>a Secret that is missing, has no {@code ca.crt}, or whose {@code ca.crt} or {@code ca.crl}
 *       does not read makes every route of the Ingress answer 403 ({@link
 *       ClientCertificateUnusablePolicy}), with a warning naming the Secret, as ingress-nginx
 *       answers 403 then. The Secret's change reads the Ingress again.
 * </ul>
 */
public final class ClientCertificateFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "client-certificates";

  static final String SECRET = "auth-tls-secret";
  static final String VERIFY_CLIENT = "auth-tls-verify-client";
  static final String VERIFY_DEPTH = "auth-tls-verify-depth";
  static final String ERROR_PAGE = "auth-tls-error-page";
  static final String PASS_CERTIFICATE = "auth-tls-pass-certificate-to-upstream";
  static final String MATCH_CN = "auth-tls-match-cn";

  private static final Set<String> ANNOTATIONS =
      Set.of(SECRET, VERIFY_CLIENT, VERIFY_DEPTH, ERROR_PAGE, PASS_CERTIFICATE, MATCH_CN);

  /** The key of the CA certificates in the Secret. */
  static final String CA_KEY = "ca.crt";

  /** The key of the optional CRLs in the Secret. */
  static final String CRL_KEY = "ca.crl";

  /**
   * ingress-nginx's accepted error pages, less its named nginx locations ({@code @name}): a path,
   * or an http(s) URL.
   */
  private static final java.util.regex.Pattern ERROR_PAGE_SYNTAX =
      java.util.regex.Pattern.compile(
          "(?:https?://[A-Za-z0-9\\-.]+(?::\\d{1,5})?)?(?:/[A-Za-z0-9\\-_.]+)*/?");

  private static final String CLOSED = "every route of the Ingress answers 403";

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
      withoutSecret(values, report);
      return;
    }
    Optional<ObjectReference> secret =
        ObjectReference.read(
            SECRET,
            reference.get(),
            "the name or namespace/name of a Secret with ca.crt",
            "Secret",
            context,
            report);
    Optional<Optional<String>> errorPage = errorPage(values, report);
    Optional<Boolean> pass = passCertificate(values, report);
    Optional<Optional<String>> matchCn = matchCn(values, report);
    if (secret.isEmpty() || errorPage.isEmpty() || pass.isEmpty() || matchCn.isEmpty()) {
      return;
    }
    ClientVerifyMode mode = mode(values, report);
    int depth = depth(values, report);
    String shown = "\"" + reference.get() + "\"";
    Optional<SecretLookup.Content> content =
        context.secrets().secret(secret.get().namespace(), secret.get().name());
    if (content.isEmpty()) {
      close(policy, report, shown, "a Secret that exists", "Secret " + secret.get() + " not found");
      return;
    }
    String caCrt = content.get().data().get(CA_KEY);
    if (caCrt == null || caCrt.isBlank()) {
      String what =
          content.get().unreadable().contains(CA_KEY)
              ? "its key ca.crt is not valid base64"
              : "it has no key ca.crt";
      close(
          policy,
          report,
          shown,
          "a Secret with the CA certificates under the key ca.crt",
          "Secret " + secret.get() + ": " + what);
      return;
    }
    String caCrl = content.get().data().get(CRL_KEY);
    if (caCrl == null && content.get().unreadable().contains(CRL_KEY)) {
      close(
          policy,
          report,
          shown,
          "CRLs in PEM under the key ca.crl",
          "Secret " + secret.get() + ": its key ca.crl is not valid base64");
      return;
    }
    ClientCertificateAuthority authority;
    try {
      authority = ClientCertificateAuthority.fromPem(caCrt, caCrl);
    } catch (TlsMaterialException e) {
      close(
          policy,
          report,
          shown,
          "a root CA certificate in PEM under ca.crt",
          "Secret " + secret.get() + ": " + e.getMessage());
      return;
    }
    policy.routeRule(
        new BasicAuthFamily.EveryRoute(
            new ClientCertificatePolicy(
                mode, authority, depth, errorPage.get(), pass.get(), matchCn.get())));
  }

  /**
   * Without a Secret nothing is checked: a mode or a CN pattern alone would be served open, so it
   * refuses the Ingress; the rest only warns.
   */
  private static void withoutSecret(AnnotationValues values, AnnotationReport report) {
    if (values.has(SECRET)) {
      values.get(SECRET);
      report.refuse(SECRET, "\"\" (expected: the name or namespace/name of a Secret with ca.crt)");
      return;
    }
    Optional<String> mode = values.get(VERIFY_CLIENT);
    if (mode.isPresent() && !mode.get().equals(ClientVerifyMode.OFF.value())) {
      report.refuse(
          VERIFY_CLIENT,
          "auth-tls-verify-client is set without auth-tls-secret (ingress-nginx would serve the"
              + " backend open; set auth-tls-secret to the Secret with the CA, or remove it)");
    } else if (mode.isPresent()) {
      report.unused(VERIFY_CLIENT, "read only with auth-tls-secret");
    }
    if (values.has(MATCH_CN)) {
      values.get(MATCH_CN);
      report.refuse(
          MATCH_CN,
          "auth-tls-match-cn is set without auth-tls-secret (ingress-nginx would serve the backend"
              + " open; set auth-tls-secret to the Secret with the CA, or remove it)");
    }
    for (String name : List.of(VERIFY_DEPTH, ERROR_PAGE, PASS_CERTIFICATE)) {
      if (values.has(name)) {
        report.unused(name, "read only with auth-tls-secret");
      }
    }
  }

  private static ClientVerifyMode mode(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get(VERIFY_CLIENT);
    if (value.isEmpty()) {
      return ClientVerifyMode.ON;
    }
    Optional<ClientVerifyMode> mode = ClientVerifyMode.parse(value.get());
    if (mode.isEmpty()) {
      report.invalid(
          VERIFY_CLIENT,
          "\"" + value.get() + "\"",
          "on, off, optional or optional_no_ca",
          "using on");
      return ClientVerifyMode.ON;
    }
    return mode.get();
  }

  private static int depth(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get(VERIFY_DEPTH);
    if (value.isEmpty()) {
      return ClientCertificatePolicy.DEFAULT_DEPTH;
    }
    try {
      int depth = Integer.parseInt(value.get());
      if (depth > 0 && depth <= 100) {
        return depth;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    report.invalid(
        VERIFY_DEPTH,
        "\"" + value.get() + "\"",
        "a number from 1 to 100",
        "using " + ClientCertificatePolicy.DEFAULT_DEPTH);
    return ClientCertificatePolicy.DEFAULT_DEPTH;
  }

  /** The page, empty for none; empty outside when the value refuses the Ingress. */
  private static Optional<Optional<String>> errorPage(
      AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get(ERROR_PAGE).filter(text -> !text.isEmpty());
    if (value.isEmpty()) {
      return Optional.of(Optional.empty());
    }
    if (value.get().startsWith("@")) {
      report.refuse(
          ERROR_PAGE,
          "\"" + value.get() + "\" names an nginx location (expected: a path or an http(s) URL)");
      return Optional.empty();
    }
    if (!ERROR_PAGE_SYNTAX.matcher(value.get()).matches()) {
      report.refuse(ERROR_PAGE, "\"" + value.get() + "\" (expected: a path or an http(s) URL)");
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private static Optional<Boolean> passCertificate(
      AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get(PASS_CERTIFICATE);
    if (value.isEmpty()) {
      return Optional.of(false);
    }
    Optional<Boolean> parsed = Booleans.parse(value.get());
    if (parsed.isEmpty()) {
      report.refuse(
          PASS_CERTIFICATE, "\"" + value.get() + "\" (expected: " + Booleans.EXPECTED + ")");
    }
    return parsed;
  }

  /** The pattern, empty for none; empty outside when the value refuses the Ingress. */
  private static Optional<Optional<String>> matchCn(
      AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get(MATCH_CN).filter(text -> !text.isEmpty());
    if (value.isEmpty()) {
      return Optional.of(Optional.empty());
    }
    if (!value.get().startsWith("CN=")) {
      report.refuse(
          MATCH_CN,
          "\"" + value.get() + "\" (expected: CN= followed by a pattern, such as CN=client)");
      return Optional.empty();
    }
    try {
      Pattern.compile(value.get());
    } catch (PatternSyntaxException e) {
      report.refuse(
          MATCH_CN,
          "\""
              + value.get()
              + "\" (expected: CN= followed by a valid RE2 pattern: "
              + e.getDescription()
              + ")");
      return Optional.empty();
    }
    return Optional.of(value);
  }

  /** Warns, and closes every route of the Ingress: 403, never served open. */
  private static void close(
      IngressPolicy.Builder policy,
      AnnotationReport report,
      String shown,
      String expected,
      String reason) {
    report.invalid(SECRET, shown, expected + ": " + reason, CLOSED);
    policy.routeRule(new BasicAuthFamily.EveryRoute(new ClientCertificateUnusablePolicy(reason)));
  }
}
