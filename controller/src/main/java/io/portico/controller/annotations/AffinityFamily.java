package io.portico.controller.annotations;

import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.ControllerConfig;
import io.portico.router.balance.AffinityMode;
import io.portico.router.balance.BackendPolicy;
import io.portico.router.balance.CookieAffinity;
import io.portico.router.balance.LoadBalancing;
import io.portico.router.balance.SameSite;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Load balancing and session affinity: {@code load-balance}, {@code affinity}, {@code
 * affinity-mode} and the {@code session-cookie-*} annotations, read into the {@link BackendPolicy}
 * of every backend the Ingress names, with ingress-nginx's names and defaults. A value that cannot
 * be used is reported and replaced by the default: these annotations never stop an Ingress from
 * serving. Without a {@code load-balance} annotation, the controller ConfigMap's key of that name
 * decides, else round robin.
 *
 * <p>The {@code session-cookie-*} and {@code affinity-mode} annotations are read only when {@code
 * affinity: cookie} is set, and otherwise have no effect, as in ingress-nginx.
 */
public final class AffinityFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "affinity";

  private static final Set<String> COOKIE_SETTINGS =
      Set.of(
          "affinity-mode",
          "session-cookie-change-on-failure",
          "session-cookie-conditional-samesite-none",
          "session-cookie-domain",
          "session-cookie-expires",
          "session-cookie-max-age",
          "session-cookie-name",
          "session-cookie-path",
          "session-cookie-samesite",
          "session-cookie-secure");

  static final Set<String> ANNOTATIONS = union(COOKIE_SETTINGS, "affinity", "load-balance");

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
    policy.backend(new Reading(values, context.config(), report).policy());
  }

  private static Set<String> union(Set<String> names, String... more) {
    Set<String> all = new HashSet<>(names);
    all.addAll(List.of(more));
    return Set.copyOf(all);
  }

  /** One read of one Ingress. */
  private static final class Reading {
    private final AnnotationValues values;
    private final ControllerConfig config;
    private final AnnotationReport report;

    Reading(AnnotationValues values, ControllerConfig config, AnnotationReport report) {
      this.values = values;
      this.config = config;
      this.report = report;
    }

    BackendPolicy policy() {
      LoadBalancing loadBalancing = loadBalancing();
      Optional<String> affinity = values.get("affinity");
      if (affinity.isEmpty()) {
        unusedCookieSettings("affinity is not set");
        return BackendPolicy.of(loadBalancing);
      }
      if (!affinity.get().equalsIgnoreCase("cookie")) {
        report.invalid("affinity", affinity.get(), "cookie", "session affinity is off");
        unusedCookieSettings("session affinity is off");
        return BackendPolicy.of(loadBalancing);
      }
      return BackendPolicy.of(loadBalancing, cookie());
    }

    private void unusedCookieSettings(String why) {
      for (String name : COOKIE_SETTINGS) {
        if (values.has(name)) {
          report.unused(name, "read only with affinity: cookie, and " + why);
        }
      }
    }

    private LoadBalancing loadBalancing() {
      LoadBalancing fallback = config.get(ConfigKeys.LOAD_BALANCE);
      Optional<String> value = values.get("load-balance");
      if (value.isEmpty()) {
        return fallback;
      }
      // One parser for the annotation and the ConfigMap key (ewma reads as least_request).
      Optional<LoadBalancing> read = ConfigKeys.LOAD_BALANCE.parse(value.get());
      if (read.isPresent()) {
        return read.get();
      }
      report.invalid(
          "load-balance",
          value.get(),
          ConfigKeys.LOAD_BALANCE.expected(),
          "using " + fallback.annotationValue());
      return fallback;
    }

    private CookieAffinity cookie() {
      CookieAffinity.Builder cookie = CookieAffinity.builder();
      values
          .get("affinity-mode")
          .ifPresent(
              mode -> {
                switch (mode.toLowerCase(Locale.ROOT)) {
                  case "balanced" -> cookie.mode(AffinityMode.BALANCED);
                  case "persistent" -> cookie.mode(AffinityMode.PERSISTENT);
                  default ->
                      report.invalid(
                          "affinity-mode", mode, "balanced or persistent", "using balanced");
                }
              });
      values
          .get("session-cookie-name")
          .ifPresent(
              name -> {
                if (CookieAffinity.isValidName(name)) {
                  cookie.name(name);
                } else {
                  report.invalid(
                      "session-cookie-name",
                      name,
                      CookieAffinity.NAME_RULE,
                      "using " + CookieAffinity.DEFAULT_NAME);
                }
              });
      values
          .get("session-cookie-path")
          .ifPresent(
              path -> {
                if (CookieAffinity.isValidPath(path)) {
                  cookie.path(path);
                } else {
                  report.invalid(
                      "session-cookie-path",
                      path,
                      CookieAffinity.PATH_RULE,
                      "using the path of each rule");
                }
              });
      seconds("session-cookie-max-age").ifPresent(cookie::maxAgeSeconds);
      seconds("session-cookie-expires").ifPresent(cookie::expiresSeconds);
      values
          .get("session-cookie-samesite")
          .ifPresent(
              value -> {
                for (SameSite sameSite : SameSite.values()) {
                  if (sameSite.attribute().equalsIgnoreCase(value)) {
                    cookie.sameSite(sameSite);
                    return;
                  }
                }
                report.invalid(
                    "session-cookie-samesite", value, "None, Lax or Strict", "no SameSite");
              });
      cookie.conditionalSameSiteNone(flag("session-cookie-conditional-samesite-none"));
      cookie.secure(flag("session-cookie-secure"));
      values
          .get("session-cookie-domain")
          .ifPresent(
              domain -> {
                if (CookieAffinity.isValidDomain(domain)) {
                  cookie.domain(domain);
                } else {
                  report.invalid(
                      "session-cookie-domain",
                      domain,
                      CookieAffinity.DOMAIN_RULE,
                      "the cookie stays on the request host");
                }
              });
      cookie.changeOnFailure(flag("session-cookie-change-on-failure"));
      return cookie.build();
    }

    private Optional<Long> seconds(String name) {
      Optional<String> value = values.get(name);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      try {
        long seconds = Long.parseLong(value.get());
        if (CookieAffinity.isValidSeconds(seconds)) {
          return Optional.of(seconds);
        }
      } catch (NumberFormatException e) {
        // Reported below with the other invalid values.
      }
      report.invalid(name, value.get(), CookieAffinity.SECONDS_RULE, "not set");
      return Optional.empty();
    }

    /** A boolean annotation ({@link Booleans}); false when unset or invalid. */
    private boolean flag(String name) {
      Optional<String> value = values.get(name);
      if (value.isEmpty()) {
        return false;
      }
      Optional<Boolean> flag = Booleans.parse(value.get());
      if (flag.isPresent()) {
        return flag.get();
      }
      report.invalid(name, value.get(), Booleans.EXPECTED, "using false");
      return false;
    }
  }
}
