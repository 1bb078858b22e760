package io.portico.controller.annotations;

import io.portico.controller.config.ConfigKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Error pages: {@code custom-http-errors}, {@code default-backend} and {@code
 * disable-proxy-intercept-errors}, as ingress-nginx reads them.
 *
 * <ul>
 *   <li>{@code custom-http-errors}: the statuses (400 to 599, comma-separated) the Ingress's error
 *       pages take; without it, the controller ConfigMap's {@code custom-http-errors} apply. A
 *       listed status from the backend, or from Portico (503 without endpoints, 502, 504), is
 *       replaced by the error backend's answer.
 *   <li>{@code default-backend}: a Service of the Ingress's namespace (its first port). It is the
 *       error backend, instead of {@code --default-backend}, and it answers the requests of a rule
 *       whose Service has no endpoints.
 *   <li>{@code disable-proxy-intercept-errors}: {@code true} turns the error pages off.
 * </ul>
 */
public final class ErrorPagesFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "error-pages";

  private static final Set<String> ANNOTATIONS =
      Set.of("custom-http-errors", "default-backend", "disable-proxy-intercept-errors");

  // A DNS-1035 label: what a Service name is.
  private static final Pattern SERVICE_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

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
    String defaultBackend = defaultBackend(values, report);
    List<Integer> statuses =
        statuses(values, context.config().get(ConfigKeys.CUSTOM_HTTP_ERRORS), report);
    if (AnnotationSyntax.flag(values, "disable-proxy-intercept-errors", false, report)) {
      statuses = List.of();
    }
    policy.routing().errorPages(statuses, defaultBackend);
  }

  private static List<Integer> statuses(
      AnnotationValues values, List<Integer> controllerStatuses, AnnotationReport report) {
    Optional<String> value = values.get("custom-http-errors");
    if (value.isEmpty() || value.get().isEmpty()) {
      return controllerStatuses;
    }
    List<Integer> statuses = new ArrayList<>();
    for (String item : value.get().split(",")) {
      String text = item.strip();
      if (text.isEmpty()) {
        continue;
      }
      OptionalInt status = AnnotationSyntax.integer(text);
      if (status.isEmpty() || status.getAsInt() < 400 || status.getAsInt() > 599) {
        report.invalid(
            "custom-http-errors",
            "\"" + value.get() + "\"",
            "statuses from 400 to 599, separated by commas",
            controllerStatuses.isEmpty()
                ? "no error pages apply"
                : "the controller's " + controllerStatuses + " apply");
        return controllerStatuses;
      }
      if (!statuses.contains(status.getAsInt())) {
        statuses.add(status.getAsInt());
      }
    }
    return statuses;
  }

  private static @Nullable String defaultBackend(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get("default-backend");
    if (value.isEmpty() || value.get().isEmpty()) {
      return null;
    }
    if (!SERVICE_NAME.matcher(value.get()).matches()) {
      report.invalid(
          "default-backend",
          "\"" + value.get() + "\"",
          "the name of a Service in the Ingress's namespace",
          "no default backend applies");
      return null;
    }
    return value.get();
  }
}
