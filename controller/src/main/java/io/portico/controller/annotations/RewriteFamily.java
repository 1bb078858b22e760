package io.portico.controller.annotations;

import io.portico.router.policy.RewriteTemplate;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites and regular-expression paths: {@code use-regex}, {@code rewrite-target} and {@code
 * x-forwarded-prefix}, with ingress-nginx's semantics.
 *
 * <ul>
 *   <li>{@code use-regex} makes every path of the Ingress a regular expression (RE2: matched in
 *       linear time, case-insensitive, anchored at the start); the translator then makes every path
 *       of the Ingress's hosts one, whichever Ingress wrote it.
 *   <li>{@code rewrite-target} replaces the whole URI the backend gets, with {@code $1} to {@code
 *       $9} from the path's groups, and keeps the query. It makes a path a regular expression only
 *       when it differs from it.
 *   <li>{@code x-forwarded-prefix} sends {@code X-Forwarded-Prefix} with the rewrite; without one
 *       it has no effect, as in ingress-nginx.
 * </ul>
 *
 * A target or prefix is a path: {@code /}, letters, digits, {@code - . _ ~ :} and group references.
 * Anything else (a {@code $} that names no group, a query, a space) is reported and no rewrite
 * applies: a value is data, never configuration.
 */
public final class RewriteFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "rewrite";

  private static final Set<String> ANNOTATIONS =
      Set.of("rewrite-target", "use-regex", "x-forwarded-prefix");

  // ingress-nginx's path characters, with $1..$9; the target starts with / or a group.
  private static final Pattern PATH_TEMPLATE =
      Pattern.compile("(/|\\$[1-9])([A-Za-z0-9/\\-._~:]|\\$[1-9])*");
  private static final String EXPECTED =
      "a path of letters, digits, / - . _ ~ : and $1 to $9, starting with / or a group";

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
    boolean useRegex = AnnotationSyntax.flag(values, "use-regex", false, report);
    RewriteTemplate target = template(values, "rewrite-target", report, "no rewrite applies");
    RewriteTemplate prefix =
        template(values, "x-forwarded-prefix", report, "no X-Forwarded-Prefix is sent");
    policy.routing().regex(useRegex, target);
    if (target != null) {
      policy.routeRule(new RewriteRule(target, prefix));
    } else if (prefix != null) {
      report.unused("x-forwarded-prefix", "has no effect without rewrite-target");
    }
  }

  private static @Nullable RewriteTemplate template(
      AnnotationValues values, String name, AnnotationReport report, String instead) {
    Optional<String> value = values.get(name);
    if (value.isEmpty() || value.get().isEmpty()) {
      return null;
    }
    if (!PATH_TEMPLATE.matcher(value.get()).matches()) {
      report.invalid(name, "\"" + value.get() + "\"", EXPECTED, instead);
      return null;
    }
    return RewriteTemplate.of(value.get());
  }
}
