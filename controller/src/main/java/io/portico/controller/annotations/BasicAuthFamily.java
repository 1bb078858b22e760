package io.portico.controller.annotations;

import io.portico.router.access.BasicAuthPolicy;
import io.portico.router.access.BasicCredentials;
import io.portico.router.policy.ClosedPolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Basic authentication: {@code auth-type: basic} with the users of {@code auth-secret} ({@code
 * name} or {@code namespace/name}), read as {@code auth-secret-type} says ({@code auth-file}, the
 * default: an htpasswd file under the key {@code auth}; {@code auth-map}: one key per user, the
 * value the user's hash), and the challenge's {@code auth-realm}. Every route of the Ingress gets
 * one {@link BasicAuthPolicy}, as ingress-nginx protects every location of the Ingress.
 *
 * <p>Fail closed, never served open:
 *
 * <ul>
 *   <li>an annotation that does not read ({@code auth-type: digest} included, which Portico does
 *       not support), or an {@code auth-secret} without {@code auth-type}, refuses the Ingress;
 *   <li>a Secret in another namespace refuses it too, unless the controller ConfigMap sets {@code
 *       allow-cross-namespace-resources}, as in ingress-nginx;
 *   <li>a Secret that is missing, has no key {@code auth} (auth-file), or holds no line Portico can
 *       check makes every route of the Ingress answer 503 ({@link ClosedPolicy}), with a warning on
 *       the Ingress naming the Secret, as ingress-nginx denies the location. The Secret may appear
 *       or be fixed later: its change reads the Ingress again.
 * </ul>
 *
 * A line in a hash format Portico does not read is a warning; its user cannot log in. Messages name
 * users and line numbers, never a hash.
 */
public final class BasicAuthFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "basic-auth";

  static final String TYPE = "auth-type";
  static final String SECRET = "auth-secret";
  static final String SECRET_TYPE = "auth-secret-type";
  static final String REALM = "auth-realm";

  private static final Set<String> ANNOTATIONS = Set.of(TYPE, SECRET, SECRET_TYPE, REALM);

  private static final String AUTH_FILE = "auth-file";
  private static final String AUTH_MAP = "auth-map";

  /** The key of an htpasswd file in an {@code auth-file} Secret. */
  static final String FILE_KEY = "auth";

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
    Optional<String> type = values.get(TYPE);
    if (type.isEmpty()) {
      withoutType(values, report);
      return;
    }
    if (!type.get().equals("basic")) {
      String why =
          type.get().equals("digest")
              ? "digest authentication is not supported: served without it, the backend would be"
                  + " open to everyone"
              : "auth-type \"" + type.get() + "\" (expected: basic)";
      // Every basic-auth annotation of the Ingress shares the refusal: one reason, one message.
      for (String name : List.of(TYPE, SECRET, SECRET_TYPE, REALM)) {
        if (values.has(name)) {
          values.get(name);
          report.refuse(name, why);
        }
      }
      return;
    }
    Optional<String> reference = values.get(SECRET).filter(value -> !value.isEmpty());
    if (reference.isEmpty()) {
      report.refuse(
          TYPE, "auth-type: basic needs auth-secret, the Secret that holds the users and hashes");
      return;
    }
    Optional<String> secretType = secretType(values, report);
    if (secretType.isEmpty()) {
      return;
    }
    Optional<ObjectReference> secret =
        ObjectReference.read(
            SECRET,
            reference.get(),
            "the name or namespace/name of a Secret",
            "Secret",
            context,
            report);
    if (secret.isEmpty()) {
      return;
    }
    String realm = realm(values, report);
    String shown = "\"" + reference.get() + "\"";
    Optional<SecretLookup.Content> content =
        context.secrets().secret(secret.get().namespace(), secret.get().name());
    if (content.isEmpty()) {
      close(
          policy,
          report,
          shown,
          "a Secret that exists: " + secret.get() + " does not",
          "Secret " + secret.get() + " not found");
      return;
    }
    if (!content.get().type().equals(SecretLookup.Content.OPAQUE)) {
      close(
          policy,
          report,
          shown,
          "a Secret of type Opaque: " + secret.get() + " is of type " + content.get().type(),
          "Secret " + secret.get() + " is not of type Opaque");
      return;
    }
    BasicCredentials.Read read;
    if (secretType.get().equals(AUTH_FILE)) {
      Optional<String> file = Optional.ofNullable(content.get().data().get(FILE_KEY));
      if (file.isEmpty() || file.get().isBlank()) {
        String what =
            content.get().unreadable().contains(FILE_KEY)
                ? "its key auth is not valid base64"
                : "it has no key auth";
        close(
            policy,
            report,
            shown,
            "a Secret with an htpasswd file under the key auth: " + secret.get() + " has none",
            "Secret " + secret.get() + ": " + what);
        return;
      }
      read = BasicCredentials.parseFile(file.get());
    } else {
      read = BasicCredentials.parseMap(content.get().sorted());
      for (String key : content.get().unreadable()) {
        report.invalid(
            SECRET,
            shown,
            "hashes in base64",
            "Secret "
                + secret.get()
                + " key "
                + key
                + " is not valid base64; the user cannot log in");
      }
    }
    if (!read.problems().isEmpty()) {
      report.invalid(
          SECRET,
          shown,
          "user:hash lines as htpasswd writes them",
          "Secret " + secret.get() + " " + String.join("; ", read.problems()));
    }
    if (read.credentials().isEmpty()) {
      close(
          policy,
          report,
          shown,
          "a Secret with at least one user whose hash Portico reads",
          "Secret " + secret.get() + " holds no user Portico can check");
      return;
    }
    policy.routeRule(new EveryRoute(new BasicAuthPolicy(realm, read.credentials())));
  }

  /** Without {@code auth-type}, nothing is asked for; a Secret of users alone is a mistake. */
  private static void withoutType(AnnotationValues values, AnnotationReport report) {
    if (values.has(SECRET)) {
      values.get(SECRET);
      report.refuse(
          SECRET,
          "auth-secret is set without auth-type: basic (ingress-nginx would serve the backend"
              + " open; set auth-type: basic, or remove auth-secret)");
    }
    for (String name : List.of(SECRET_TYPE, REALM)) {
      if (values.has(name)) {
        report.unused(name, "read only with auth-type: basic");
      }
    }
  }

  private static Optional<String> secretType(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get(SECRET_TYPE).filter(text -> !text.isEmpty());
    if (value.isEmpty()) {
      return Optional.of(AUTH_FILE);
    }
    if (value.get().equals(AUTH_FILE) || value.get().equals(AUTH_MAP)) {
      return value;
    }
    report.refuse(
        SECRET_TYPE, "\"" + value.get() + "\" (expected: " + AUTH_FILE + " or " + AUTH_MAP + ")");
    return Optional.empty();
  }

  private static String realm(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get(REALM);
    if (value.isEmpty()) {
      return BasicAuthPolicy.DEFAULT_REALM;
    }
    if (BasicAuthPolicy.isValidRealm(value.get())) {
      return value.get();
    }
    report.invalid(REALM, "(a text with control characters)", "text", "using the empty realm");
    return BasicAuthPolicy.DEFAULT_REALM;
  }

  /** Warns, and closes every route of the Ingress: 503, never served open. */
  private static void close(
      IngressPolicy.Builder policy,
      AnnotationReport report,
      String shown,
      String expected,
      String reason) {
    report.invalid(SECRET, shown, expected, CLOSED);
    policy.routeRule(new EveryRoute(new ClosedPolicy(reason)));
  }

  /** The same policy on every route of the Ingress. */
  record EveryRoute(RequestPolicy policy) implements RoutePolicyRule {
    @Override
    public List<RequestPolicy> policies(HostnamePattern host, PathMatch path) {
      return List.of(policy);
    }
  }
}
