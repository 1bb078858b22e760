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
 */
public record UpstreamChanges(
    @Nullable String uri, @Nullable String authority, HeaderEdits headers) {

  public UpstreamChanges {
    requireNonNull(headers, "headers");
  }
}
