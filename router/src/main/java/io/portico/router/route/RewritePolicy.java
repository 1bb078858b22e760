package io.portico.router.route;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.RewriteTemplate;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * ingress-nginx's {@code rewrite-target}: the backend gets the target instead of the request's
 * path, with {@code $1} to {@code $9} taken from the rule's expression ({@code /api/(.*)} with
 * target {@code /$1} sends {@code /api/users} as {@code /users}). The whole path is replaced (a
 * target without groups replaces every path of the rule with itself) and the query is kept, as
 * nginx's {@code rewrite ... break} does. An expression that does not match leaves the path as it
 * is.
 *
 * <p>Beyond ingress-nginx, which forwards {@code /assets/../admin} when a group yields {@code ..}:
 * the rewritten path is normalised ({@link RequestPaths#normalize}), and when it no longer starts
 * with the target's literal start (normalised too), the request is answered 400 and nothing goes
 * upstream. What the backend gets is the normalised path.
 *
 * <p>With {@code x-forwarded-prefix}, the backend also gets {@code X-Forwarded-Prefix}, expanded
 * the same way; ingress-nginx sends it only with a rewrite, and so does Portico.
 *
 * <p>It lives with the route model rather than among the other policies because it is part of what
 * a regex rule means: its expression is the rule's, and its check is the route's normalisation.
 */
public final class RewritePolicy implements RequestPolicy {

  private static final PolicyAnswer OUTSIDE_TARGET =
      new PolicyAnswer(
          400,
          List.of(
              new PolicyAnswer.Header("content-type", "text/plain; charset=utf-8"),
              new PolicyAnswer.Header("cache-control", "no-store")),
          "Bad request: the rewritten path leaves the rewrite target.\n");

  private final Pattern pattern;
  private final RewriteTemplate target;
  private final @Nullable RewriteTemplate forwardedPrefix;
  private final String boundary;

  /**
   * @param expression the rule's path expression, whose groups the templates use
   * @param target the path the backend gets, with group references
   * @param forwardedPrefix the value of {@code X-Forwarded-Prefix}, or {@code null} for none
   * @throws IllegalArgumentException when the target does not start with {@code /} or a group
   *     reference, or holds characters a request path cannot carry as they are
   */
  public RewritePolicy(
      PathMatch.Regex expression,
      RewriteTemplate target,
      @Nullable RewriteTemplate forwardedPrefix) {
    this.pattern = requireNonNull(expression, "expression").pattern();
    this.target = requireNonNull(target, "target");
    this.forwardedPrefix = forwardedPrefix;
    String start = target.literalStart();
    if (!start.isEmpty() && start.charAt(0) != '/') {
      throw new IllegalArgumentException(
          "target: " + target + " (expected: a path starting with / or with a group such as $1)");
    }
    for (int i = 0; i < target.text().length(); i++) {
      char c = target.text().charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '?' || c == '#' || c == '%') {
        throw new IllegalArgumentException(
            "target: " + target + " (expected: path characters only, no query)");
      }
    }
    String normalized = RequestPaths.normalize(start.isEmpty() ? "/" : start);
    if (normalized == null) {
      throw new IllegalArgumentException("target: " + target + " (expected: a valid path)");
    }
    this.boundary = normalized;
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.REWRITE;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    Matcher match = pattern.matcher(request.path());
    if (!match.find()) {
      exchange.proceed();
      return;
    }
    String rewritten = target.expand(match);
    String path = RequestPaths.normalize(rewritten.startsWith("/") ? rewritten : "/" + rewritten);
    if (path == null || !path.startsWith(boundary)) {
      exchange.answer(OUTSIDE_TARGET);
      return;
    }
    String query = request.query();
    exchange.upstreamUri(query == null ? path : path + "?" + query);
    if (forwardedPrefix != null) {
      String prefix = forwardedPrefix.expand(match);
      if (!prefix.isEmpty()) {
        exchange.setUpstreamHeader("X-Forwarded-Prefix", prefix);
      }
    }
    exchange.proceed();
  }

  /** The path the backend gets, as written. */
  public RewriteTemplate target() {
    return target;
  }

  /** The value of {@code X-Forwarded-Prefix}, or {@code null}. */
  public @Nullable RewriteTemplate forwardedPrefix() {
    return forwardedPrefix;
  }

  @Override
  public String label() {
    return "rewrite " + target + (forwardedPrefix == null ? "" : " prefix " + forwardedPrefix);
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof RewritePolicy other
            && pattern.equals(other.pattern)
            && target.equals(other.target)
            && Objects.equals(forwardedPrefix, other.forwardedPrefix));
  }

  @Override
  public int hashCode() {
    return Objects.hash(pattern, target, forwardedPrefix);
  }

  @Override
  public String toString() {
    return label();
  }
}
