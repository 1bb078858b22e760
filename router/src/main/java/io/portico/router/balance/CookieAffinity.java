package io.portico.router.balance;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Cookie session affinity for a backend: the {@code affinity: cookie} annotation and its {@code
 * session-cookie-*} companions, validated. The attribute rules follow RFC 6265 (<a
 * href="https://www.rfc-editor.org/rfc/rfc6265#section-4.1.1">section 4.1.1</a>), so that a value
 * accepted here can never break the {@code Set-Cookie} header it ends up in.
 *
 * @param mode how sticky the session is
 * @param name the cookie name, an RFC 7230 token
 * @param path the {@code Path} attribute; empty means the path of the rule the request matched
 * @param maxAgeSeconds the {@code Max-Age} attribute; empty for none
 * @param expiresSeconds the {@code Expires} attribute, as seconds from when the cookie is set (as
 *     ingress-nginx); empty for none. With neither, the cookie lasts for the browser session
 * @param sameSite the {@code SameSite} attribute; empty for none
 * @param conditionalSameSiteNone leave out {@code SameSite=None} for user agents known to reject or
 *     mishandle it
 * @param secure always mark the cookie {@code Secure}; without it, only requests that came over
 *     HTTPS get a {@code Secure} cookie
 * @param domain the {@code Domain} attribute; empty for none (the cookie stays on the request host)
 * @param changeOnFailure when the pinned endpoint cannot be reached, pin the client to the endpoint
 *     that answers instead, with a new cookie
 */
public record CookieAffinity(
    AffinityMode mode,
    String name,
    Optional<String> path,
    OptionalLong maxAgeSeconds,
    OptionalLong expiresSeconds,
    Optional<SameSite> sameSite,
    boolean conditionalSameSiteNone,
    boolean secure,
    Optional<String> domain,
    boolean changeOnFailure) {

  /** The cookie name when none is given, as in ingress-nginx. */
  public static final String DEFAULT_NAME = "INGRESSCOOKIE";

  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  public CookieAffinity {
    requireNonNull(mode, "mode");
    requireNonNull(name, "name");
    requireNonNull(path, "path");
    requireNonNull(maxAgeSeconds, "maxAgeSeconds");
    requireNonNull(expiresSeconds, "expiresSeconds");
    requireNonNull(sameSite, "sameSite");
    requireNonNull(domain, "domain");
    if (!isValidName(name)) {
      throw new IllegalArgumentException("name: " + name + " (expected: " + NAME_RULE + ")");
    }
    path.ifPresent(
        p -> {
          if (!isValidPath(p)) {
            throw new IllegalArgumentException("path: " + p + " (expected: " + PATH_RULE + ")");
          }
        });
    domain.ifPresent(
        d -> {
          if (!isValidDomain(d)) {
            throw new IllegalArgumentException("domain: " + d + " (expected: " + DOMAIN_RULE + ")");
          }
        });
    checkSeconds("maxAgeSeconds", maxAgeSeconds);
    checkSeconds("expiresSeconds", expiresSeconds);
  }

  /** What a valid name is, for messages. */
  public static final String NAME_RULE = "a token of letters, digits and !#$%&'*+-.^_`|~";

  /** What a valid path is, for messages. */
  public static final String PATH_RULE = "a path starting with /, without spaces, ; or controls";

  /** What a valid domain is, for messages. */
  public static final String DOMAIN_RULE = "a host name such as example.com or .example.com";

  /** What valid seconds are, for messages. */
  public static final String SECONDS_RULE = "a whole number of seconds from 1 to 2147483647";

  /** Cookie affinity with every default: balanced, {@value #DEFAULT_NAME}, no attributes. */
  public static CookieAffinity defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code name} can be a cookie name: a non-empty RFC 7230 token. */
  public static boolean isValidName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && TOKEN_SYMBOLS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code path} can be a {@code Path} attribute: {@code /...}, no spaces, ; or controls.
   */
  public static boolean isValidPath(String path) {
    if (!path.startsWith("/")) {
      return false;
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == ';') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code domain} can be a {@code Domain} attribute: DNS labels, one leading dot allowed.
   */
  public static boolean isValidDomain(String domain) {
    String host = domain.startsWith(".") ? domain.substring(1) : domain;
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether {@code seconds} is a valid {@code Max-Age} or {@code Expires} offset. */
  public static boolean isValidSeconds(long seconds) {
    return seconds >= 1 && seconds <= Integer.MAX_VALUE;
  }

  private static void checkSeconds(String what, OptionalLong seconds) {
    if (seconds.isPresent() && !isValidSeconds(seconds.getAsLong())) {
      throw new IllegalArgumentException(
          what + ": " + seconds.getAsLong() + " (expected: " + SECONDS_RULE + ")");
    }
  }

  /**
   * The settings as the annotations spell them, defaults left out: {@code mode=balanced
   * name=INGRESSCOOKIE max-age=3600 samesite=Lax}.
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("mode=").append(mode).append(" name=").append(name);
    path.ifPresent(p -> out.append(" path=").append(p));
    maxAgeSeconds.ifPresent(s -> out.append(" max-age=").append(s));
    expiresSeconds.ifPresent(s -> out.append(" expires=").append(s));
    sameSite.ifPresent(s -> out.append(" samesite=").append(s));
    if (conditionalSameSiteNone) {
      out.append(" conditional-samesite-none");
    }
    if (secure) {
      out.append(" secure");
    }
    domain.ifPresent(d -> out.append(" domain=").append(d));
    if (changeOnFailure) {
      out.append(" change-on-failure");
    }
    return out.toString();
  }

  /** Collects settings; unset ones keep their defaults. */
  public static final class Builder {
    private AffinityMode mode = AffinityMode.BALANCED;
    private String name = DEFAULT_NAME;
    private Optional<String> path = Optional.empty();
    private OptionalLong maxAgeSeconds = OptionalLong.empty();
    private OptionalLong expiresSeconds = OptionalLong.empty();
    private Optional<SameSite> sameSite = Optional.empty();
    private boolean conditionalSameSiteNone;
    private boolean secure;
    private Optional<String> domain = Optional.empty();
    private boolean changeOnFailure;

    private Builder() {}

    public Builder mode(AffinityMode mode) {
      this.mode = requireNonNull(mode, "mode");
      return this;
    }

    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    public Builder path(String path) {
      this.path = Optional.of(path);
      return this;
    }

    public Builder maxAgeSeconds(long seconds) {
      this.maxAgeSeconds = OptionalLong.of(seconds);
      return this;
    }

    public Builder expiresSeconds(long seconds) {
      this.expiresSeconds = OptionalLong.of(seconds);
      return this;
    }

    public Builder sameSite(SameSite sameSite) {
      this.sameSite = Optional.of(sameSite);
      return this;
    }

    public Builder conditionalSameSiteNone(boolean conditional) {
      this.conditionalSameSiteNone = conditional;
      return this;
    }

    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    public Builder domain(String domain) {
      this.domain = Optional.of(domain);
      return this;
    }

    public Builder changeOnFailure(boolean change) {
      this.changeOnFailure = change;
      return this;
    }

    /**
     * @throws IllegalArgumentException when a value breaks the rules above
     */
    public CookieAffinity build() {
      return new CookieAffinity(
          mode,
          name,
          path,
          maxAgeSeconds,
          expiresSeconds,
          sameSite,
          conditionalSameSiteNone,
          secure,
          domain,
          changeOnFailure);
    }
  }
}
