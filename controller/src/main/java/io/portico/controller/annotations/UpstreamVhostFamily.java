package io.portico.controller.annotations;

import io.portico.router.policy.UpstreamHostPolicy;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code upstream-vhost}: the {@code Host} every backend of the Ingress gets instead of the
 * client's ({@code X-Forwarded-Host} still names the client's). A host name or IP address, with an
 * optional port; anything else (an nginx variable such as {@code $host}) is reported and the
 * client's Host is sent.
 */
public final class UpstreamVhostFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "upstream-vhost";

  private static final Set<String> ANNOTATIONS = Set.of("upstream-vhost");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> annotations() {
    return ANNOTATIONS;
  }

  @Override
  public void read(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    Optional<String> value = values.get("upstream-vhost");
    if (value.isEmpty() || value.get().isEmpty()) {
      return;
    }
    UpstreamHostPolicy host;
    try {
      host = new UpstreamHostPolicy(value.get());
    } catch (IllegalArgumentException e) {
      report.invalid(
          "upstream-vhost",
          "\"" + value.get() + "\"",
          "a host name or IP address, with an optional :port",
          "the client's Host is sent");
      return;
    }
    policy.routeRule(new SamePolicies(List.of(host)));
  }
}
