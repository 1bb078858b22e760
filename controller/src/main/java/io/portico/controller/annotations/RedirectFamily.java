package io.portico.controller.annotations;

import io.portico.controller.config.ConfigKeys;
import io.portico.router.policy.RedirectPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Redirects: {@code permanent-redirect} and {@code permanent-redirect-code}, {@code
 * temporal-redirect} and {@code temporal-redirect-code}, {@code from-to-www-redirect} and {@code
 * app-root}, with ingress-nginx's statuses and precedence.
 *
 * <ul>
 *   <li>{@code permanent-redirect}: every request of the Ingress gets a redirect to the URL, 301
 *       unless the code is 300 to 308; {@code temporal-redirect}: 302 unless 300 to 307, and it
 *       wins when both are set. The request's path and query are not added.
 *   <li>A {@code temporal-redirect} whose scheme is not {@code http}/{@code https} drops every
 *       redirect of the Ingress, {@code from-to-www-redirect} included, as ingress-nginx's parser
 *       does; it is reported.
 *   <li>{@code from-to-www-redirect}: the other name of each host ({@code www.} added or removed)
 *       redirects to it, unless an Ingress serves that name itself.
 *   <li>{@code app-root}: {@code /} on each host of the Ingress gets a 302 to the path.
 * </ul>
 *
 * URLs hold ingress-nginx's URL characters only (letters, digits, {@code / - . _ ~ : , ? & =}); a
 * value with others is reported and not used.
 */
public final class RedirectFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "redirect";

  private static final Set<String> ANNOTATIONS =
      Set.of(
          "app-root",
          "from-to-www-redirect",
          "permanent-redirect",
          "permanent-redirect-code",
          "temporal-redirect",
          "temporal-redirect-code");

  private static final Pattern URL = Pattern.compile("[A-Za-z0-9/\\-._~:,?&=]+");
  private static final String URL_EXPECTED =
      "a URL of letters, digits and / - . _ ~ : , ? & = only";
  private static final Pattern APP_ROOT = Pattern.compile("/[A-Za-z0-9/\\-._~:]*");

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
    policy.routing().appRoot(appRoot(values, report));
    String temporal = url(values, "temporal-redirect", report);
    if (temporal != null && !isHttp(temporal)) {
      report.invalid(
          "temporal-redirect",
          "\"" + temporal + "\"",
          "an http:// or https:// URL",
          "no redirect of this Ingress applies, from-to-www-redirect included");
      for (String name :
          List.of(
              "permanent-redirect",
              "permanent-redirect-code",
              "temporal-redirect-code",
              "from-to-www-redirect")) {
        if (values.has(name)) {
          report.unused(name, "an invalid temporal-redirect drops every redirect of the Ingress");
        }
      }
      return;
    }
    boolean www = AnnotationSyntax.flag(values, "from-to-www-redirect", false, report);
    policy.routing().fromToWwwRedirect(www, context.config().get(ConfigKeys.HTTP_REDIRECT_CODE));
    String permanent = url(values, "permanent-redirect", report);
    if (temporal != null) {
      int code = code(values, "temporal-redirect-code", 302, 307, report);
      policy.routeRule(new SamePolicies(List.of(new RedirectPolicy(code, temporal))));
      if (permanent != null) {
        report.unused("permanent-redirect", "temporal-redirect is set and wins");
      }
      if (values.has("permanent-redirect-code")) {
        report.unused("permanent-redirect-code", "temporal-redirect is set and wins");
      }
      return;
    }
    if (values.has("temporal-redirect-code")) {
      report.unused("temporal-redirect-code", "has no effect without temporal-redirect");
    }
    if (permanent != null) {
      int code = code(values, "permanent-redirect-code", 301, 308, report);
      policy.routeRule(new SamePolicies(List.of(new RedirectPolicy(code, permanent))));
    } else if (values.has("permanent-redirect-code")) {
      report.unused("permanent-redirect-code", "has no effect without permanent-redirect");
    }
  }

  private static @Nullable String url(
      AnnotationValues values, String name, AnnotationReport report) {
    Optional<String> value = values.get(name);
    if (value.isEmpty() || value.get().isEmpty()) {
      return null;
    }
    if (!URL.matcher(value.get()).matches() || value.get().startsWith("//")) {
      report.invalid(name, "\"" + value.get() + "\"", URL_EXPECTED, "no redirect applies");
      return null;
    }
    return value.get();
  }

  private static boolean isHttp(String url) {
    try {
      String scheme = new URI(url).getScheme();
      return scheme != null && scheme.toLowerCase(Locale.ROOT).startsWith("http");
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** A status from 300 to {@code max}; {@code fallback} when unset or (reported) otherwise. */
  private static int code(
      AnnotationValues values, String name, int fallback, int max, AnnotationReport report) {
    Optional<String> value = values.get(name);
    if (value.isEmpty() || value.get().isEmpty()) {
      return fallback;
    }
    OptionalInt code = AnnotationSyntax.integer(value.get());
    if (code.isEmpty() || code.getAsInt() < 300 || code.getAsInt() > max) {
      report.invalid(
          name, "\"" + value.get() + "\"", "a status from 300 to " + max, fallback + " applies");
      return fallback;
    }
    return code.getAsInt();
  }

  private static @Nullable String appRoot(AnnotationValues values, AnnotationReport report) {
    Optional<String> value = values.get("app-root");
    if (value.isEmpty() || value.get().isEmpty()) {
      return null;
    }
    if (!APP_ROOT.matcher(value.get()).matches() || value.get().startsWith("//")) {
      report.invalid(
          "app-root",
          "\"" + value.get() + "\"",
          "a path starting with / (letters, digits, / - . _ ~ :), not a URL",
          "no redirect applies");
      return null;
    }
    return value.get();
  }
}
