package io.portico.controller.annotations;

import io.portico.controller.config.ConfigKey;
import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.ControllerConfig;
import java.util.Optional;
import java.util.Set;

/**
 * HTTPS redirects: {@code ssl-redirect}, {@code force-ssl-redirect} and {@code
 * preserve-trailing-slash}, with the Ingress's own TLS hosts, read into its {@link HttpsRule}.
 * Where the Ingress sets none, the controller ConfigMap's key of the same name decides, else the
 * built-in default; a value that is not a {@linkplain Booleans boolean} is reported and that
 * default applies. The ConfigMap also gives the redirect status ({@code http-redirect-code}), the
 * HSTS header ({@code hsts}, {@code hsts-max-age}, {@code hsts-include-subdomains}, {@code
 * hsts-preload}) and the paths never redirected ({@code no-tls-redirect-locations}): those have no
 * annotation.
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
    ControllerConfig config = context.config();
    boolean redirect = flag(values, ConfigKeys.SSL_REDIRECT, config, report);
    boolean force = flag(values, ConfigKeys.FORCE_SSL_REDIRECT, config, report);
    boolean preserve = flag(values, ConfigKeys.PRESERVE_TRAILING_SLASH, config, report);
    policy.https(HttpsRule.of(context.tlsHosts(), redirect, force, preserve, config));
  }

  /** The annotation named as the key when set, else the key's value in {@code config}. */
  private static boolean flag(
      AnnotationValues values,
      ConfigKey<Boolean> key,
      ControllerConfig config,
      AnnotationReport report) {
    String name = key.name();
    boolean defaultValue = config.get(key);
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
