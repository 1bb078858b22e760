package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestCookies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A value of an external-auth annotation that may name nginx variables ({@code
 * https://$host/oauth2/start?rd=$escaped_request_uri}), parsed once into literal text and
 * variables. A request's values are substituted as data: nothing in them is ever read as syntax.
 * Where the text becomes a URL, every character of a value other than letters, digits, {@code
 * -._~/:} and percent escapes is percent-encoded, so a value can neither add a query parameter nor
 * change the host. This is the lesson of CVE-2025-24514, where ingress-nginx interpolated such
 * values into its configuration.
 *
 * <p>The variables, with nginx's meaning: {@code $host}, {@code $http_host}, {@code $request_uri},
 * {@code $escaped_request_uri}, {@code $scheme}, {@code $pass_access_scheme}, {@code $remote_addr},
 * {@code $remote_user}, {@code $request_method}, {@code $http_<header>}, {@code $cookie_<name>},
 * {@code $arg_<name>}. Anything else after a {@code $} does not parse.
 *
 * @param text the value as written
 * @param use where the value goes, which decides the characters it may hold and how values are
 *     substituted
 * @param parts the literal texts and variable names, in order
 */
public record AuthTemplate(String text, Use use, List<Part> parts) {

  /** Where a template's value goes. */
  public enum Use {
    /**
     * A URL ({@code auth-url}, {@code auth-signin}, {@code auth-request-redirect}): literal text of
     * letters, digits, {@code -._~/:?&=,} and percent escapes; values percent-encoded.
     */
    URL("letters, digits, -._~/:?&=, and %XX"),
    /**
     * A cache key ({@code auth-cache-key}): letters, digits and {@code -_.:/}; values as they are.
     */
    KEY("letters, digits and -_.:/"),
    /**
     * A header value sent to the auth service ({@code auth-proxy-set-headers}): printable text
     * without quotes, backslashes, braces or {@code ;}; values as they are.
     */
    HEADER("printable text without quotes, backslashes, braces or ;");

    private final String allowed;

    Use(String allowed) {
      this.allowed = allowed;
    }

    /** The characters a literal part may hold, for messages. */
    public String allowed() {
      return allowed;
    }

    boolean allows(char c) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return true;
      }
      return switch (this) {
        case URL -> "-._~/:?&=,%".indexOf(c) >= 0;
        case KEY -> "-_.:/".indexOf(c) >= 0;
        case HEADER -> c >= 0x20 && c < 0x7f && "\"'\\{};`".indexOf(c) < 0;
      };
    }
  }

  /** A literal text, or a variable when {@code variable} is true (then {@code text} names it). */
  public record Part(String text, boolean variable) {
    public Part {
      requireNonNull(text, "text");
    }
  }

  /** The variables with fixed names, as nginx names them. */
  public static final Set<String> VARIABLES =
      Set.of(
          "host",
          "http_host",
          "request_uri",
          "escaped_request_uri",
          "scheme",
          "pass_access_scheme",
          "remote_addr",
          "remote_user",
          "request_method");

  /** The prefixes of variables that name a header, a cookie or a query argument. */
  public static final List<String> PREFIXES = List.of("http_", "cookie_", "arg_");

  public AuthTemplate {
    requireNonNull(text, "text");
    requireNonNull(use, "use");
    parts = List.copyOf(requireNonNull(parts, "parts"));
  }

  /**
   * Parses {@code text} for {@code use}.
   *
   * @throws IllegalArgumentException naming the first character or variable that is not allowed
   */
  public static AuthTemplate parse(String text, Use use) {
    requireNonNull(text, "text");
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$') {
        int end = i + 1;
        while (end < text.length() && isNameChar(text.charAt(end))) {
          end++;
        }
        String name = text.substring(i + 1, end);
        if (!isVariable(name)) {
          throw new IllegalArgumentException(
              "\""
                  + text
                  + "\" names "
                  + (name.isEmpty() ? "\"$\" alone" : "$" + name)
                  + " (expected: one of $"
                  + String.join(", $", VARIABLES.stream().sorted().toList())
                  + ", $http_<header>, $cookie_<name>, $arg_<name>)");
        }
        if (!literal.isEmpty()) {
          parts.add(new Part(literal.toString(), false));
          literal.setLength(0);
        }
        parts.add(new Part(name, true));
        i = end;
        continue;
      }
      if (!use.allows(c)
          || (use == Use.URL && c == '%' && !isEscape(text, i))
          || (use == Use.HEADER && Character.isISOControl(c))) {
        throw new IllegalArgumentException(
            "\""
                + text
                + "\" holds "
                + shown(c)
                + " (expected: "
                + use.allowed()
                + ", and $variables)");
      }
      literal.append(c);
      i++;
    }
    if (!literal.isEmpty()) {
      parts.add(new Part(literal.toString(), false));
    }
    return new AuthTemplate(text, use, parts);
  }

  /** Whether the template names no variable. */
  public boolean fixed() {
    return parts.stream().noneMatch(Part::variable);
  }

  /** Whether the template names variable {@code name}. */
  public boolean names(String name) {
    return parts.stream().anyMatch(part -> part.variable() && part.text().equals(name));
  }

  /** The value for {@code request}: literal parts as written, variables substituted as data. */
  public String render(PolicyRequest request) {
    StringBuilder out = new StringBuilder(text.length() + 32);
    for (Part part : parts) {
      if (!part.variable()) {
        out.append(part.text());
        continue;
      }
      String value = value(part.text(), request);
      if (use != Use.URL || part.text().equals("escaped_request_uri")) {
        out.append(value);
      } else if (part.text().equals("request_uri")) {
        encode(value, URI_CHARS, out);
      } else {
        encode(value, PATH_CHARS, out);
      }
    }
    return out.toString();
  }

  /** The value of variable {@code name} for {@code request}; empty when the request has none. */
  static String value(String name, PolicyRequest request) {
    String value =
        switch (name) {
          case "host" -> lower(request.host());
          case "http_host" -> request.authority();
          case "request_uri" -> request.pathAndQuery();
          case "escaped_request_uri" -> escaped(request.pathAndQuery());
          case "scheme" -> request.tls() ? "https" : "http";
          case "pass_access_scheme" -> request.requestedHttps() ? "https" : "http";
          case "remote_addr" -> request.clientAddress();
          case "remote_user" -> remoteUser(request);
          case "request_method" -> request.method();
          default -> prefixed(name, request);
        };
    return value == null ? "" : value;
  }

  /** {@code text} percent-encoded but for RFC 3986's unreserved characters, as nginx escapes. */
  public static String escaped(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    encode(text, "", out);
    return out.toString();
  }

  private static @Nullable String prefixed(String name, PolicyRequest request) {
    if (name.startsWith("http_")) {
      return request.header(name.substring(5).replace('_', '-'));
    }
    if (name.startsWith("cookie_")) {
      return RequestCookies.first(request.headers("cookie"), name.substring(7));
    }
    return argument(request.query(), name.substring(4));
  }

  private static @Nullable String argument(@Nullable String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&", -1)) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      if (key.equalsIgnoreCase(name)) {
        return equals < 0 ? "" : pair.substring(equals + 1);
      }
    }
    return null;
  }

  private static @Nullable String remoteUser(PolicyRequest request) {
    String[] userAndPassword = BasicAuthPolicy.userAndPassword(request.header("authorization"));
    return userAndPassword == null ? null : userAndPassword[0];
  }

  private static @Nullable String lower(@Nullable String host) {
    return host == null ? null : host.toLowerCase(Locale.ROOT);
  }

  /** What a value keeps unencoded in a URL, besides unreserved characters and escapes. */
  private static final String PATH_CHARS = "/:";

  /** What {@code $request_uri}, the client's own path and query, keeps as well. */
  private static final String URI_CHARS = "/:?&=@!$'()*+,;";

  private static void encode(String value, String keep, StringBuilder out) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean kept =
          (b >= 'a' && b <= 'z')
              || (b >= 'A' && b <= 'Z')
              || (b >= '0' && b <= '9')
              || b == '-'
              || b == '.'
              || b == '_'
              || b == '~'
              || (b < 0x80 && keep.indexOf(b) >= 0)
              || (!keep.isEmpty() && b == '%' && isEscape(bytes, i));
      if (kept) {
        out.append((char) b);
      } else {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static boolean isVariable(String name) {
    if (VARIABLES.contains(name)) {
      return true;
    }
    for (String prefix : PREFIXES) {
      if (name.length() > prefix.length() && name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean isEscape(String text, int at) {
    return at + 2 < text.length() && isHex(text.charAt(at + 1)) && isHex(text.charAt(at + 2));
  }

  private static boolean isEscape(byte[] bytes, int at) {
    return at + 2 < bytes.length && isHex((char) bytes[at + 1]) && isHex((char) bytes[at + 2]);
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String shown(char c) {
    if (c < 0x20 || c == 0x7f) {
      return String.format(Locale.ROOT, "the control character U+%04X", (int) c);
    }
    return "'" + c + "'";
  }

  @Override
  public String toString() {
    return text;
  }
}
