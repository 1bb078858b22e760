package io.portico.controller.annotations;

import java.util.Optional;
import java.util.Set;

/**
 * HTTPS redirects: {@code ssl-redirect}, {@code force-ssl-redirect} and {@code
 * preserve-trailing-slash}, with the Ingress's own TLS hosts, read into its {@link HttpsRule}. A
 * value that is not a {@linkplain Booleans boolean} is reported and the default applies.
 */
public final class HttpsFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "https";

  private static final Set<String> ANNOTATIONS =
      Set.of("force-ssl-redirect", "preserve-trailing-slash", "ssl-redirect");

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
    AnnotationDefaults defaults = context.defaults();
    boolean redirect = flag(values, "ssl-redirect", defaults.sslRedirect(), report);
    boolean force = flag(values, "force-ssl-redirect", defaults.forceSslRedirect(), report);
    boolean preserve =
        flag(values, "preserve-trailing-slash", defaults.preserveTrailingSlash(), report);
    policy.https(HttpsRule.of(context.tlsHosts(), redirect, force, preserve));
  }

  private static boolean flag(
      AnnotationValues values, String name, boolean defaultValue, AnnotationReport report) {
    Optional<String> value = values.get(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    Optional<Boolean> flag = Booleans.parse(value.get());
    if (flag.isPresent()) {
      return flag.get();
    }
    report.invalid(name, "\"" + value.get() + "\"", Booleans.EXPECTED, defaultValue + " applies");
    return defaultValue;
  }
}
