package io.portico.controller.translate;

import java.util.List;

/** The steps of a translation, in the order they run. */
public final class TranslationSteps {

  private TranslationSteps() {}

  /**
   * The Ingress translation, one concern per step:
   *
   * <ol>
   *   <li>{@code controller-config}: the controller ConfigMap, read into the config the later steps
   *       take their defaults from ({@link ControllerConfigStep});
   *   <li>{@code ingress-ownership}: which Ingresses are Portico's, by class ({@link
   *       IngressOwnershipStep});
   *   <li>{@code ingress-rules}: each owned Ingress's rules, annotations and backends on their own,
   *       and which Ingresses to read again ({@link IngressRulesStep});
   *   <li>{@code rule-claims}: the rules of all Ingresses merged, the oldest claim on a host, path
   *       and type winning ({@link RuleClaimsStep});
   *   <li>{@code canaries}: the rules of canary Ingresses joined to the rules they stand beside
   *       ({@link CanaryStep});
   *   <li>{@code default-backends}: {@code spec.defaultBackend} per host and {@code
   *       --default-backend} ({@link DefaultBackendsStep});
   *   <li>{@code routing-table}: the hosts that changed, edited into the routing table ({@link
   *       RoutingTableStep});
   *   <li>{@code certificates}: the {@code spec.tls} Secrets and the default certificate ({@link
   *       CertificatesStep});
   *   <li>{@code gateway-api}: the Gateway API objects, their status, their rules added to the
   *       table and their listeners' certificates to the Ingress ones ({@link GatewayApiStep}).
   * </ol>
   */
  public static List<TranslationStep> standard() {
    return List.of(
        new ControllerConfigStep(),
        new IngressOwnershipStep(),
        new IngressRulesStep(),
        new RuleClaimsStep(),
        new CanaryStep(),
        new DefaultBackendsStep(),
        new RoutingTableStep(),
        new CertificatesStep(),
        new GatewayApiStep());
  }
}
