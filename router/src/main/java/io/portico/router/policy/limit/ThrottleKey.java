package io.portico.router.policy.limit;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestCookies;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What requests a global rate limit counts together: ingress-nginx's {@code global-rate-limit-key},
 * an nginx variable expression such as {@code $remote_addr} or {@code ${remote_addr}-$http_x_api},
 * read as data. Only these variables are known; any other is refused when the key is read:
 *
 * <ul>
 *   <li>{@code $remote_addr}: the client address (the TCP peer unless a trusted proxy forwards);
 *   <li>{@code $host}: the requested host, lower case, without port;
 *   <li>{@code $uri}: the normalised path; {@code $request_uri}: the path and query as sent;
 *   <li>{@code $request_method}, {@code $scheme} ({@code http} or {@code https});
 *   <li>{@code $http_NAME}: the request header NAME ({@code _} for {@code -}, any case);
 *   <li>{@code $cookie_NAME}: the cookie NAME; {@code $arg_NAME}: the query parameter NAME, as
 *       sent.
 * </ul>
 *
 * A variable the request lacks is empty; when the whole key is empty, the client address counts
 * instead, as in ingress-nginx. Equal texts give equal keys. The expression is parsed once, when
 * the key is made.
 */
public final class ThrottleKey {

  /** What ingress-nginx lets through as a key: letters, digits, {@code - _ $ { }}. */
  public static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9\\-_${}]*");

  private static final Pattern PART = Pattern.compile("\\$\\{([0-9A-Za-z_]+)}|\\$([0-9A-Za-z_]+)");

  /** One piece of the expression. */
  private sealed interface Part {
    String value(PolicyRequest request);
  }

  private record Literal(String text) implements Part {
    @Override
    public String value(PolicyRequest request) {
      return text;
    }
  }

  private record Variable(String name, String argument) implements Part {
    @Override
    public String value(PolicyRequest request) {
      return orEmpty(
          switch (name) {
            case "remote_addr" -> request.clientAddress();
            case "host" -> host(request);
            case "uri" -> request.path();
            case "request_uri" -> request.pathAndQuery();
            case "request_method" -> request.method();
            case "scheme" -> request.tls() ? "https" : "http";
            case "http_" -> request.header(argument);
            case "cookie_" -> RequestCookies.first(request.headers("cookie"), argument);
            case "arg_" -> ThrottleKey.argument(request.query(), argument);
            default -> throw new IllegalStateException("variable: " + name);
          });
    }
  }

  private static final List<String> WHOLE =
      List.of("remote_addr", "host", "uri", "request_uri", "request_method", "scheme");
  private static final List<String> PREFIXED = List.of("http_", "cookie_", "arg_");

  // Declared after what the constructor reads.
  /** ingress-nginx's default: one count per client address. */
  public static final ThrottleKey REMOTE_ADDR = new ThrottleKey("$remote_addr");

  private final String text;
  private final List<Part> parts;

  /**
   * @param text the expression as written
   * @throws IllegalArgumentException when it has a {@linkplain #problem problem}
   */
  public ThrottleKey(String text) {
    requireNonNull(text, "text");
    Optional<String> problem = problem(text);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("key: \"" + text + "\" (expected: " + problem.get() + ")");
    }
    this.text = text;
    this.parts = parts(text);
  }

  /** The expression as written. */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ThrottleKey key && key.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * Why {@code text} cannot be a key, in the words of an {@code expected:} clause; empty when it
   * can.
   */
  public static Optional<String> problem(String text) {
    if (!SYNTAX.matcher(text).matches()) {
      return Optional.of("letters, digits, -, _ and nginx variables such as $remote_addr");
    }
    Matcher matcher = PART.matcher(text);
    while (matcher.find()) {
      String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
      if (variable(name) == null) {
        return Optional.of(
            "variables among $remote_addr, $host, $uri, $request_uri, $request_method, $scheme,"
                + " $http_NAME, $cookie_NAME and $arg_NAME; $"
                + name
                + " is not one");
      }
    }
    return Optional.empty();
  }

  /** The key's value for {@code request}: the parts joined, or the client address if empty. */
  public String value(PolicyRequest request) {
    if (parts.size() == 1) {
      String only = parts.get(0).value(request);
      return only.isEmpty() ? orEmpty(request.clientAddress()) : only;
    }
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      out.append(part.value(request));
    }
    if (out.length() == 0) {
      return orEmpty(request.clientAddress());
    }
    return out.toString();
  }

  private static List<Part> parts(String text) {
    List<Part> parts = new ArrayList<>(2);
    Matcher matcher = PART.matcher(text);
    int at = 0;
    while (matcher.find()) {
      if (matcher.start() > at) {
        parts.add(new Literal(text.substring(at, matcher.start())));
      }
      String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
      parts.add(requireNonNull(variable(name), name));
      at = matcher.end();
    }
    if (at < text.length()) {
      parts.add(new Literal(text.substring(at)));
    }
    return List.copyOf(parts);
  }

  private static @Nullable Variable variable(String name) {
    if (WHOLE.contains(name)) {
      return new Variable(name, "");
    }
    for (String prefix : PREFIXED) {
      if (name.startsWith(prefix) && name.length() > prefix.length()) {
        String argument = name.substring(prefix.length());
        return new Variable(prefix, prefix.equals("http_") ? argument.replace('_', '-') : argument);
      }
    }
    return null;
  }

  private static @Nullable String host(PolicyRequest request) {
    String host = request.host();
    if (host == null) {
      return null;
    }
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /**
   * The first value of query parameter {@code name} as sent (nginx compares names without case).
   */
  private static @Nullable String argument(@Nullable String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      if (key.equalsIgnoreCase(name)) {
        return equals < 0 ? "" : pair.substring(equals + 1);
      }
    }
    return null;
  }

  private static String orEmpty(@Nullable String value) {
    return value == null ? "" : value;
  }
}
