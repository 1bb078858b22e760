package io.portico.controller.annotations;

import io.portico.router.access.CorsPolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CORS: {@code enable-cors} and the {@code cors-*} annotations, with ingress-nginx's defaults, read
 * into a {@link CorsPolicy} on every route of the Ingress. A value that cannot be used is reported
 * and its default applies, except the origins: when none of those listed is valid, CORS stays off
 * rather than falling back to {@code *}.
 */
public final class CorsFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "cors";

  private static final Set<String> SETTINGS =
      Set.of(
          "cors-allow-credentials",
          "cors-allow-headers",
          "cors-allow-methods",
          "cors-allow-origin",
          "cors-expose-headers",
          "cors-max-age");

  private static final Set<String> ANNOTATIONS = union(SETTINGS, "enable-cors");

  private static final Pattern METHODS = Pattern.compile("[A-Za-z]+(\\s*,\\s*[A-Za-z]+)*");
  private static final Pattern HEADERS =
      Pattern.compile("[A-Za-z0-9_*-]+(\\s*,\\s*[A-Za-z0-9_*-]+)*");

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
    Optional<String> enable = values.get("enable-cors");
    boolean enabled = false;
    if (enable.isPresent()) {
      Optional<Boolean> flag = Booleans.parse(enable.get());
      if (flag.isEmpty()) {
        report.invalid("enable-cors", enable.get(), Booleans.EXPECTED, "CORS is off");
      } else {
        enabled = flag.get();
      }
    }
    if (!enabled) {
      for (String name : SETTINGS) {
        if (values.has(name)) {
          report.unused(name, "read only with enable-cors: \"true\"");
        }
      }
      return;
    }
    List<String> origins = origins(values, report);
    if (origins.isEmpty()) {
      return;
    }
    policy.routeRule(
        new Rule(
            new CorsPolicy(
                origins,
                listed(values, "cors-allow-methods", METHODS, CorsPolicy.DEFAULT_METHODS, report),
                listed(values, "cors-allow-headers", HEADERS, CorsPolicy.DEFAULT_HEADERS, report),
                listed(values, "cors-expose-headers", HEADERS, "", report),
                credentials(values, report),
                maxAge(values, report))));
  }

  private static List<String> origins(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get("cors-allow-origin");
    if (value.isEmpty() || value.get().isEmpty()) {
      return List.of("*");
    }
    List<String> origins = new ArrayList<>();
    for (String item : value.get().split(",")) {
      String origin = item.strip().toLowerCase(Locale.ROOT);
      if (origin.isEmpty()) {
        continue;
      }
      if (CorsPolicy.isValidOrigin(origin)) {
        origins.add(origin);
      } else {
        report.invalid(
            "cors-allow-origin",
            "\"" + item.strip() + "\"",
            "*, or scheme://host[:port] (a leading *. in the host for one label)",
            "left out");
      }
    }
    if (origins.isEmpty()) {
      report.invalid("cors-allow-origin", value.get(), "at least one valid origin", "CORS is off");
    }
    return origins;
  }

  private static String listed(
      AnnotationValues values,
      String name,
      Pattern allowed,
      String defaultValue,
      AnnotationReport report) {
    Optional<String> value = values.get(name);
    if (value.isEmpty() || value.get().isEmpty()) {
      return defaultValue;
    }
    if (allowed.matcher(value.get()).matches()) {
      return value.get();
    }
    report.invalid(
        name,
        value.get(),
        "comma-separated names",
        defaultValue.isEmpty() ? "not sent" : "using " + defaultValue);
    return defaultValue;
  }

  private static boolean credentials(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get("cors-allow-credentials");
    if (value.isEmpty()) {
      return true;
    }
    Optional<Boolean> flag = Booleans.parse(value.get());
    if (flag.isPresent()) {
      return flag.get();
    }
    report.invalid("cors-allow-credentials", value.get(), Booleans.EXPECTED, "using true");
    return true;
  }

  private static long maxAge(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get("cors-max-age");
    if (value.isEmpty()) {
      return CorsPolicy.DEFAULT_MAX_AGE;
    }
    try {
      long seconds = Long.parseLong(value.get());
      if (seconds >= 0) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    report.invalid(
        "cors-max-age",
        value.get(),
        "a whole number of seconds, 0 or more",
        "using " + CorsPolicy.DEFAULT_MAX_AGE);
    return CorsPolicy.DEFAULT_MAX_AGE;
  }

  private static Set<String> union(Set<String> names, String more) {
    Set<String> all = new java.util.HashSet<>(names);
    all.add(more);
    return Set.copyOf(all);
  }

  /** The same policy on every route of the Ingress. */
  record Rule(CorsPolicy policy) implements RoutePolicyRule {
    @Override
    public List<RequestPolicy> policies(HostnamePattern host, PathMatch path) {
      return List.of(policy);
    }
  }
}
