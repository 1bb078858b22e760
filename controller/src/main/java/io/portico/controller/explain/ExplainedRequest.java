package io.portico.controller.explain;

import static java.util.Objects.requireNonNull;

import io.portico.router.address.ClientAddress;
import io.portico.router.policy.ListenerFacts;
import io.portico.router.policy.PolicyRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The headers and cookies an explanation assumes the request carries ({@code explain --header
 * NAME:VALUE --cookie NAME=VALUE}), read as a route's policies read a real request.
 */
public final class ExplainedRequest {

  /** A request with no header or cookie beyond those of the URL. */
  public static final ExplainedRequest NONE = new ExplainedRequest(Map.of(), List.of());

  private final Map<String, List<String>> headers;
  private final List<String> cookies;

  private ExplainedRequest(Map<String, List<String>> headers, List<String> cookies) {
    this.headers = headers;
    this.cookies = cookies;
  }

  /**
   * A request with these headers ({@code NAME:VALUE}) and cookies ({@code NAME=VALUE}).
   *
   * @throws IllegalArgumentException when one is not in that form
   */
  public static ExplainedRequest of(List<String> headers, List<String> cookies) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (String header : headers) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("header: " + header + " (expected: NAME:VALUE)");
      }
      byName
          .computeIfAbsent(
              header.substring(0, colon).trim().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
          .add(header.substring(colon + 1).trim());
    }
    for (String cookie : cookies) {
      if (cookie.indexOf('=') <= 0 || cookie.indexOf(';') >= 0) {
        throw new IllegalArgumentException("cookie: " + cookie + " (expected: NAME=VALUE)");
      }
    }
    return new ExplainedRequest(byName, List.copyOf(cookies));
  }

  public boolean isEmpty() {
    return headers.isEmpty() && cookies.isEmpty();
  }

  /** {@code x-version: v2, cookie canary=always}. */
  String describe() {
    List<String> parts = new ArrayList<>();
    headers.forEach((name, values) -> values.forEach(v -> parts.add(name + ": " + v)));
    cookies.forEach(c -> parts.add("cookie " + c));
    return String.join(", ", parts);
  }

  /** This request as a policy reads it, for {@code url}'s host and path. */
  PolicyRequest asPolicyRequest(String host, String path, boolean tls) {
    requireNonNull(path, "path");
    return new PolicyRequest() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public String host() {
        return host;
      }

      @Override
      public String authority() {
        return host;
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public String pathAndQuery() {
        return path;
      }

      @Override
      public @Nullable String query() {
        return null;
      }

      @Override
      public @Nullable String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
      }

      @Override
      public List<String> headers(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        List<String> values = new ArrayList<>(headers.getOrDefault(key, List.of()));
        if (key.equals("cookie") && !cookies.isEmpty()) {
          values.add(String.join("; ", cookies));
        }
        return values;
      }

      @Override
      public ClientAddress client() {
        return ClientAddress.UNKNOWN;
      }

      @Override
      public ListenerFacts listener() {
        return new ListenerFacts(tls, ListenerFacts.STANDARD_HTTPS_PORT, true);
      }
    };
  }
}
