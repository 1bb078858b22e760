package io.portico.controller.translate;

import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableEdit;

/**
 * {@code routing-table}: the hosts whose winning rules (with their canaries) or fallback changed
 * are settled ({@link HostRules}: regex mode, {@code app-root}, and the names they serve besides
 * their own, see {@link HostDerivations}) and rebuilt in a copy of the last table ({@link
 * RouteTable#edit()}), with the {@code --default-backend} route; every other host is shared with
 * it. With nothing changed, the last table itself is the result.
 */
final class RoutingTableStep implements TranslationStep {

  @Override
  public String name() {
    return "routing-table";
  }

  @Override
  public void apply(TranslationRun run) {
    TranslationState state = run.state();
    if (state.table == null) {
      state.table = RouteTable.empty(run.affinityKey());
    }
    if (!run.changedHosts().isEmpty() || run.hasDefaultRouteChanged()) {
      RouteTableEdit edit = state.table.edit().defaultRoute(state.fallbacks.controllerDefault());
      state.hosts.apply(run.changedHosts(), state.claims, state.canaries, state.fallbacks, edit);
      state.table = edit.build();
    }
    state.hosts.findings().forEach(run::report);
    run.routes(state.table);
  }
}
