package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

/** A group and kind, as in a listener's {@code allowedRoutes.kinds} and {@code supportedKinds}. */
public record GroupKind(String group, String kind) {

  public static final GroupKind HTTP_ROUTE = new GroupKind(GatewayApi.GROUP, GatewayApi.HTTP_ROUTE);
  public static final GroupKind GRPC_ROUTE = new GroupKind(GatewayApi.GROUP, GatewayApi.GRPC_ROUTE);

  public GroupKind {
    requireNonNull(group, "group");
    requireNonNull(kind, "kind");
  }

  @Override
  public String toString() {
    return GatewayApi.GROUP.equals(group) ? kind : kind + "." + group;
  }
}
