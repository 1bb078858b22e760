package io.portico.controller.translate;

import io.portico.controller.config.ControllerConfig;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.router.route.RouteTable;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link Translator} remembers from one translation to the next, so that the next one
 * works from what changed rather than from the whole cluster. One object, owned by the translator:
 * when any step throws, the translator drops it whole and the next translation starts from a new,
 * empty one, so no half-updated state outlives a failure.
 *
 * <p>Each step keeps its part in its own field. All of it rests on the rule of the {@linkplain
 * io.portico.controller.snapshot snapshot package}: sources replace objects, never modify them, so
 * a result may be kept for as long as the versions it was made from stay the same.
 */
final class TranslationState {

  /** The snapshot this state reflects; {@code null} before the first translation. */
  @Nullable ClusterSnapshot snapshot;

  /**
   * {@code controller-config}: the controller ConfigMap as read, and the config in force; {@code
   * null} before the first translation.
   */
  @Nullable Config config;

  /** Backend resolutions, reused while their objects keep their versions. */
  final BackendResolver.Memo resolutions = new BackendResolver.Memo();

  /** {@code ingress-rules}: the owned Ingresses and what each gave. */
  final IngressRulesStep.Owned ingresses = new IngressRulesStep.Owned();

  /** {@code rule-claims}: every rule's claim on its host, path and type. */
  final RuleClaimsStep.Claims claims = new RuleClaimsStep.Claims();

  /** {@code canaries}: the canary rules and the rules they joined. */
  final CanaryStep.Joins canaries = new CanaryStep.Joins();

  /** {@code default-backends}: {@code spec.defaultBackend} claims and {@code --default-backend}. */
  final DefaultBackendsStep.Fallbacks fallbacks = new DefaultBackendsStep.Fallbacks();

  /** {@code gateway-api}: the Gateway API part last made. */
  final GatewayApiStep.Kept gateway = new GatewayApiStep.Kept();

  /** {@code routing-table}: the hosts as settled, and the names they serve besides their own. */
  final HostDerivations hosts = new HostDerivations();

  /** {@code routing-table}: the table last made; {@code null} before the first. */
  @Nullable RouteTable table;

  /**
   * The controller ConfigMap as the last translation read it, and what was in force.
   *
   * @param read the ConfigMap's version, values and findings
   * @param inForce the config later steps read
   */
  record Config(ControllerConfigStep.Read read, ControllerConfig inForce) {}
}
