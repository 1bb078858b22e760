package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A request a policy sends on the side while the client's request waits (external auth's
 * subrequest): without a body, to an absolute {@code http} or {@code https} URL. Its headers are
 * checked as every header a policy sets is (tokens, no CR, LF or NUL), so no value can split the
 * request.
 *
 * @param method the method, an upper-case token ({@code GET})
 * @param url where to send it: {@code http} or {@code https}, with a host; its path and query are
 *     sent as they are written
 * @param headers the request's headers, in order; {@code Host} is the URL's authority, whatever is
 *     given here
 * @param connectTimeout how long getting a connection may take
 * @param readTimeout how long the answer's head may take once the request is sent
 */
public record SideRequest(
    String method,
    URI url,
    List<PolicyAnswer.Header> headers,
    Duration connectTimeout,
    Duration readTimeout) {

  /** Where the answer to a {@link SideRequest} goes; called once, on the request's event loop. */
  public interface Callback {

    /** The service answered: its status and headers (the body is read and dropped). */
    void answered(SideResponse response);

    /** No answer: no connection, a refused address, a timeout, a reset. */
    void failed(Throwable cause);
  }

  public SideRequest {
    requireNonNull(method, "method");
    requireNonNull(url, "url");
    HeaderEdits.checkName(method);
    if (!method.equals(method.toUpperCase(Locale.ROOT))) {
      throw new IllegalArgumentException("method: " + method + " (expected: upper case)");
    }
    String scheme = url.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || url.getHost() == null
        || url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "url: " + url + " (expected: an absolute http or https URL with a host)");
    }
    headers = List.copyOf(requireNonNull(headers, "headers"));
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(readTimeout, "readTimeout");
    if (connectTimeout.isNegative()
        || connectTimeout.isZero()
        || readTimeout.isNegative()
        || readTimeout.isZero()) {
      throw new IllegalArgumentException(
          "timeouts: " + connectTimeout + ", " + readTimeout + " (expected: above zero)");
    }
  }

  /** Whether the URL asks for TLS. */
  public boolean tls() {
    return url.getScheme().equals("https");
  }

  /** The URL's port, or the scheme's default. */
  public int port() {
    int port = url.getPort();
    return port > 0 ? port : tls() ? 443 : 80;
  }

  /** The path and query to send, in origin form ({@code /} when the URL has no path). */
  public String pathAndQuery() {
    String path = url.getRawPath();
    String query = url.getRawQuery();
    String origin = path == null || path.isEmpty() ? "/" : path;
    return query == null ? origin : origin + "?" + query;
  }
}
