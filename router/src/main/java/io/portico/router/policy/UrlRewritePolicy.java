package io.portico.router.policy;

import org.jspecify.annotations.Nullable;

/**
 * The Gateway API's {@code URLRewrite}: the backend gets another {@code Host}, another path (the
 * query kept), or both. Everything else goes as sent.
 *
 * @param hostname the {@code Host} sent upstream, or {@code null} to keep the client's
 * @param path how the path changes, or {@code null} to keep it
 */
public record UrlRewritePolicy(@Nullable String hostname, @Nullable PathRewrite path)
    implements RequestPolicy {

  public UrlRewritePolicy {
    if (hostname == null && path == null) {
      throw new IllegalArgumentException("rewrite: nothing (expected: a hostname or a path)");
    }
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.REWRITE;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    if (hostname != null) {
      exchange.upstreamAuthority(hostname);
    }
    if (path != null) {
      String query = request.query();
      String rewritten = path.apply(request.path());
      exchange.upstreamUri(query == null ? rewritten : rewritten + "?" + query);
    }
    exchange.proceed();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("URLRewrite(");
    if (hostname != null) {
      out.append("hostname ").append(hostname);
    }
    if (path != null) {
      out.append(hostname != null ? " " : "").append(path);
    }
    return out.append(')').toString();
  }
}
