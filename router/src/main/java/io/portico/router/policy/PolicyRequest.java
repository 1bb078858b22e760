package io.portico.router.policy;

import io.portico.router.address.ClientAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The request as a policy reads it: nothing of the server's own types, nothing a policy could
 * change behind the proxy's back. Implementations are valid while the request is handled, on its
 * event loop.
 */
public interface PolicyRequest {

  /** The method, upper-case as sent ({@code GET}, {@code POST}, ...). */
  String method();

  /**
   * The host the client asked for, as sent (neither lower-cased nor stripped of a trailing dot),
   * without the port; {@code null} when the request names none.
   */
  @Nullable String host();

  /**
   * The host and port as the client sent them ({@code Host}, or {@code :authority} over HTTP/2),
   * port included when it sent one; {@code null} when the request names none.
   */
  @Nullable String authority();

  /** The normalised path, the one the route matched (see {@code RequestPaths.normalize}). */
  String path();

  /** The path and query as received, in origin form ({@code /a/../b%2Fc?q=1}). */
  String pathAndQuery();

  /** The query string without the {@code ?}, or {@code null} when there is none. */
  @Nullable String query();

  /** The first value of a request header, or {@code null}. Names are case-insensitive. */
  @Nullable String header(String name);

  /** Every value of a request header, in order; empty when absent. */
  List<String> headers(String name);

  /**
   * The names of the request's headers, each once, as sent.
   *
   * @throws UnsupportedOperationException where the request cannot list them (a test's)
   */
  default Set<String> headerNames() {
    throw new UnsupportedOperationException(
        "headerNames: not supported by " + getClass().getName());
  }

  /**
   * The client as Portico decided it once, on arrival: the TCP peer (or the source of a PROXY
   * protocol header), or, when that peer is a trusted proxy, the address it forwards. Every access
   * decision, rate limit and the access log key on this one value; a header an untrusted client
   * sends never changes it.
   */
  ClientAddress client();

  /** The client's IP address as text ({@link #client()}), or {@code null} when unknown. */
  default @Nullable String clientAddress() {
    return client().text();
  }

  /** The listener the request came through. */
  ListenerFacts listener();

  /**
   * Which backend of the route the request's session cookie pins it to: 0 for the route's own, 1
   * and up for its canaries in order; -1 when no cookie of theirs pins it (or the route has no
   * session affinity).
   */
  default int pinnedBackend() {
    return -1;
  }

  /** Whether the request came over TLS. */
  default boolean tls() {
    return listener().tls();
  }

  /**
   * Whether the client asked for {@code https}: {@link #tls()}, or, behind a trusted proxy whose
   * forwarded request headers count ({@code use-forwarded-headers}), its {@code X-Forwarded-Proto}.
   * Redirects to HTTPS read this, so that a proxy terminating TLS in front of Portico causes no
   * redirect loop.
   */
  default boolean requestedHttps() {
    return tls();
  }

  /**
   * The certificate chain the client presented in its TLS handshake, its own certificate first, as
   * sent and not yet checked; empty over plain HTTP, and when the handshake did not ask for one or
   * the client sent none.
   */
  default List<X509Certificate> clientCertificates() {
    return List.of();
  }

  /**
   * The server name (SNI) the client sent in its TLS handshake, as sent; {@code null} over plain
   * HTTP or when it sent none.
   */
  default @Nullable String tlsServerName() {
    return null;
  }
}
