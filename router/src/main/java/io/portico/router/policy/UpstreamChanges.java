package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * What a request's policies changed in what goes upstream, applied after the proxy's own headers
 * (the forwarded ones, hop-by-hop removal), so a policy has the last word.
 *
 * @param uri the path and query to send in origin form, or {@code null} to send the client's
 * @param authority the {@code Host} to send ({@code host} or {@code host:port}), or {@code null} to
 *     send the client's
 * @param headers header changes, in order; possibly empty
 * @param backend the route's backend to send to: 0 for its own, 1 and up for its canaries
 * @param mirror how to copy the request to the route's mirror, or {@code null} for no copy
 */
public record UpstreamChanges(
    @Nullable String uri,
    @Nullable String authority,
    HeaderEdits headers,
    int backend,
    @Nullable MirrorPolicy mirror) {

  public UpstreamChanges {
    requireNonNull(headers, "headers");
    if (backend < 0) {
      throw new IllegalArgumentException("backend: " + backend + " (expected: 0 or more)");
    }
  }

  /** Changes to what goes upstream, to the route's own backend, without a copy. */
  public UpstreamChanges(@Nullable String uri, @Nullable String authority, HeaderEdits headers) {
    this(uri, authority, headers, 0, null);
  }
}
