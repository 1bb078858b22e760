package io.portico.controller.annotations;

import java.util.List;

/** The families Portico reads annotations with. */
public final class AnnotationFamilies {

  private AnnotationFamilies() {}

  /**
   * Every family, in the order they read; one per line, sorted by class name (which puts {@link
   * CanaryFamily} before {@link MirrorFamily}, as the latter needs).
   */
  public static List<AnnotationFamily> standard() {
    return List.of(
        new AffinityFamily(),
        new BasicAuthFamily(),
        new CanaryFamily(),
        new ClientCertificateFamily(),
        new CorsFamily(),
        new CustomHeadersFamily(),
        new ErrorPagesFamily(),
        new ExternalAuthFamily(),
        new GlobalRateLimitFamily(),
        new HttpsFamily(),
        new MirrorFamily(),
        new ProxySslFamily(),
        new RateLimitFamily(),
        new RedirectFamily(),
        new RewriteFamily(),
        new SatisfyFamily(),
        new ServerAliasFamily(),
        new ServiceUpstreamFamily(),
        new SourceRangeFamily(),
        new UpstreamFamily(),
        new UpstreamVhostFamily());
  }
}
