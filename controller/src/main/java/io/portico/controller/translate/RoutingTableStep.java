package io.portico.controller.translate;

import io.portico.router.route.HostnamePattern;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableEdit;

/**
 * {@code routing-table}: the hosts whose winning rules (with their canaries) or fallback changed
 * are rebuilt in a copy of the last table ({@link RouteTable#edit()}), with the {@code
 * --default-backend} route; every other host is shared with it. With nothing changed, the last
 * table itself is the result.
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
      for (HostnamePattern host : run.changedHosts()) {
        edit.host(
            host,
            state.canaries.routes(host, state.claims.winners(host)),
            state.fallbacks.of(host));
      }
      state.table = edit.build();
    }
    run.routes(state.table);
  }
}
