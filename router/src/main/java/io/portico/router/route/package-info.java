/**
 * The routing model: immutable host/path routing tables and the Ingress matching rules.
 *
 * <p>{@link io.portico.router.route.RouteTable} is the entry point, made whole by a {@link
 * io.portico.router.route.RouteTableBuilder} or from the previous table by a {@link
 * io.portico.router.route.RouteTableEdit}; {@link io.portico.router.route.RoutePrecedence} is the
 * rulebook.
 */
@NullMarked
package io.portico.router.route;

import org.jspecify.annotations.NullMarked;
