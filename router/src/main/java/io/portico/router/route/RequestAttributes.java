package io.portico.router.route;

import org.jspecify.annotations.Nullable;

/**
 * What Gateway API matches read of a request besides its host and path: the method, headers and
 * query parameters. The proxy answers from the request it holds, parsing the query only when a
 * match asks for it.
 */
public interface RequestAttributes {

  /** The method as sent, e.g. {@code GET}. */
  String method();

  /**
   * The value of a header, its lines joined with {@code ,} when it is repeated (RFC 9110, section
   * 5.3), or {@code null} when absent.
   *
   * @param name the header name, lower case
   */
  @Nullable String header(String name);

  /**
   * The first value of a query parameter, decoded, or {@code null} when absent. Names are
   * case-sensitive.
   */
  @Nullable String queryParameter(String name);
}
