package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** One filter of a rule or backend, as read; each type of the specification is a record here. */
public sealed interface RouteFilter {

  /** A header name and value. */
  record Header(String name, String value) {

    public Header {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
    }
  }

  /** Which headers a {@link HeaderModifier} changes. */
  enum HeaderTarget {
    REQUEST,
    RESPONSE
  }

  /**
   * {@code RequestHeaderModifier} or {@code ResponseHeaderModifier}.
   *
   * @param target request (to the backend) or response (to the client) headers
   * @param set headers replaced (name compared without case)
   * @param add values added to what is there
   * @param remove names removed
   */
  record HeaderModifier(
      HeaderTarget target, List<Header> set, List<Header> add, List<String> remove)
      implements RouteFilter {

    public HeaderModifier {
      requireNonNull(target, "target");
      set = List.copyOf(set);
      add = List.copyOf(add);
      remove = List.copyOf(remove);
    }
  }

  /**
   * A redirect's or rewrite's {@code path}.
   *
   * @param kind {@code ReplaceFullPath} or {@code ReplacePrefixMatch}
   * @param value the replacement
   */
  record PathModifier(Kind kind, String value) {

    /** The path modifier types of the specification. */
    public enum Kind {
      REPLACE_FULL_PATH,
      REPLACE_PREFIX_MATCH
    }

    public PathModifier {
      requireNonNull(kind, "kind");
      requireNonNull(value, "value");
    }
  }

  /**
   * {@code RequestRedirect}: Portico answers with a redirect.
   *
   * @param scheme {@code http} or {@code https}; the request's when empty
   * @param hostname the host; the request's when empty
   * @param path how the path changes; unchanged when empty
   * @param port the port; derived from the scheme or the listener's port when empty
   * @param statusCode 301, 302 (the default), 303, 307 or 308
   */
  record RequestRedirect(
      Optional<String> scheme,
      Optional<String> hostname,
      Optional<PathModifier> path,
      Optional<Integer> port,
      int statusCode)
      implements RouteFilter {

    public RequestRedirect {
      requireNonNull(scheme, "scheme");
      requireNonNull(hostname, "hostname");
      requireNonNull(path, "path");
      requireNonNull(port, "port");
    }
  }

  /**
   * {@code URLRewrite}: what the backend sees.
   *
   * @param hostname the Host sent upstream, if changed
   * @param path how the path changes, if it does
   */
  record UrlRewrite(Optional<String> hostname, Optional<PathModifier> path) implements RouteFilter {

    public UrlRewrite {
      requireNonNull(hostname, "hostname");
      requireNonNull(path, "path");
    }
  }

  /**
   * {@code RequestMirror}: a copy of a share of the requests to another backend, whose answer is
   * dropped.
   *
   * @param backend the mirror
   * @param port its Service port
   * @param numerator the share mirrored is numerator / denominator
   * @param denominator at least 1
   */
  record RequestMirror(TargetRef backend, Optional<Integer> port, int numerator, int denominator)
      implements RouteFilter {

    public RequestMirror {
      requireNonNull(backend, "backend");
      requireNonNull(port, "port");
    }
  }

  /**
   * {@code CORS}: Portico answers pre-flight requests and adds the CORS response headers.
   *
   * @param allowOrigins origins ({@code *}, or {@code scheme://host[:port]} with an optional
   *     leading {@code *.} label)
   * @param allowMethods methods, or {@code *}
   * @param allowHeaders request headers, or {@code *}
   * @param exposeHeaders response headers the client may read
   * @param allowCredentials whether credentials are allowed
   * @param maxAge seconds a pre-flight answer may be cached (5 by default)
   */
  record Cors(
      List<String> allowOrigins,
      List<String> allowMethods,
      List<String> allowHeaders,
      List<String> exposeHeaders,
      boolean allowCredentials,
      int maxAge)
      implements RouteFilter {

    public Cors {
      allowOrigins = List.copyOf(allowOrigins);
      allowMethods = List.copyOf(allowMethods);
      allowHeaders = List.copyOf(allowHeaders);
      exposeHeaders = List.copyOf(exposeHeaders);
    }
  }

  /**
   * {@code ExtensionRef}: an implementation-specific filter. Portico has none, so a rule with one
   * answers 500 rather than skipping it, as the specification asks.
   */
  record ExtensionRef(String group, String kind, String name) implements RouteFilter {

    public ExtensionRef {
      requireNonNull(group, "group");
      requireNonNull(kind, "kind");
      requireNonNull(name, "name");
    }
  }
}
