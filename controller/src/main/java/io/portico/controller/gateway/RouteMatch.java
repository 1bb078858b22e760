package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** One entry of a rule's {@code matches}: all its conditions must hold. */
public sealed interface RouteMatch {

  /** How a value is compared. */
  enum ValueType {
    EXACT,
    REGULAR_EXPRESSION
  }

  /**
   * A header or query parameter condition.
   *
   * @param type exact (case-sensitive value) or an RE2 regular expression
   * @param name the header name (compared without case) or query parameter name (with case)
   * @param value the value or pattern
   */
  record ValueMatch(ValueType type, String name, String value) {

    public ValueMatch {
      requireNonNull(type, "type");
      requireNonNull(name, "name");
      requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return name + (type == ValueType.EXACT ? "=" : "~") + value;
    }
  }

  /**
   * An HTTPRoute match.
   *
   * @param path the path condition ({@code PathPrefix /} when none was written)
   * @param headers header conditions
   * @param queryParams query parameter conditions
   * @param method the HTTP method, if one is required
   */
  record HttpMatch(
      PathMatch path,
      List<ValueMatch> headers,
      List<ValueMatch> queryParams,
      Optional<String> method)
      implements RouteMatch {

    /** What an HTTPRoute rule without matches matches. */
    public static final HttpMatch DEFAULT =
        new HttpMatch(PathMatch.DEFAULT, List.of(), List.of(), Optional.empty());

    public HttpMatch {
      requireNonNull(path, "path");
      headers = List.copyOf(headers);
      queryParams = List.copyOf(queryParams);
      requireNonNull(method, "method");
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder(path.toString());
      method.ifPresent(m -> out.append(" method ").append(m));
      headers.forEach(h -> out.append(" header ").append(h));
      queryParams.forEach(q -> out.append(" query ").append(q));
      return out.toString();
    }
  }

  /**
   * A GRPCRoute match.
   *
   * @param type how service and method compare
   * @param service the gRPC service, if required
   * @param method the gRPC method, if required
   * @param headers header (metadata) conditions
   */
  record GrpcMatch(
      ValueType type, Optional<String> service, Optional<String> method, List<ValueMatch> headers)
      implements RouteMatch {

    public GrpcMatch {
      requireNonNull(type, "type");
      requireNonNull(service, "service");
      requireNonNull(method, "method");
      headers = List.copyOf(headers);
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder("grpc ");
      out.append(service.orElse("*")).append('/').append(method.orElse("*"));
      if (type == ValueType.REGULAR_EXPRESSION) {
        out.append(" (RegularExpression)");
      }
      headers.forEach(h -> out.append(" header ").append(h));
      return out.toString();
    }
  }
}
