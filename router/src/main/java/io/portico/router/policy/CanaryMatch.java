package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What sends a request to one canary: its header, its cookie, its weight. The canary's own
 * settings, as ingress-nginx's {@code canary-by-header}, {@code canary-by-header-value}, {@code
 * canary-by-header-pattern}, {@code canary-by-cookie} and {@code canary-weight} give them; {@link
 * CanaryPolicy} decides among the canaries of a route.
 *
 * @param header how the request header is read; empty when the canary has none
 * @param cookie the name of the cookie whose value {@code always} takes the canary and {@code
 *     never} excludes it; empty when the canary has none
 * @param weight how many of every {@code weightTotal} requests (of those header and cookie do not
 *     decide) the canary takes; 0 for none
 */
public record CanaryMatch(Optional<HeaderMatch> header, Optional<String> cookie, int weight) {

  /** A canary that only takes the requests its weight gives it. */
  public static CanaryMatch weight(int weight) {
    return new CanaryMatch(Optional.empty(), Optional.empty(), weight);
  }

  public CanaryMatch {
    requireNonNull(header, "header");
    requireNonNull(cookie, "cookie");
    cookie.ifPresent(
        name -> {
          if (name.isEmpty() || name.indexOf(';') >= 0 || name.indexOf('=') >= 0) {
            throw new IllegalArgumentException("cookie: " + name + " (expected: a cookie name)");
          }
        });
    if (weight < 0) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: 0 or more)");
    }
  }

  /** What a request whose cookie has {@code value} does to the canary. */
  static HeaderMatch.Verdict cookieVerdict(String value) {
    return switch (value) {
      case "always" -> HeaderMatch.Verdict.TAKE;
      case "never" -> HeaderMatch.Verdict.EXCLUDE;
      default -> HeaderMatch.Verdict.FALL_THROUGH;
    };
  }

  /** {@code header x-canary: always|never, cookie canary, weight 10}: what is set. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    header.ifPresent(h -> out.append(h));
    cookie.ifPresent(c -> out.append(out.length() == 0 ? "" : ", ").append("cookie ").append(c));
    if (weight > 0 || out.length() == 0) {
      out.append(out.length() == 0 ? "" : ", ").append("weight ").append(weight);
    }
    return out.toString();
  }
}
