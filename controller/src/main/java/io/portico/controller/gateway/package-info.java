/**
 * Gateway API (v1.6, standard channel) as pure functions over the fabric8 model: GatewayClass,
 * Gateway, HTTPRoute, GRPCRoute and ReferenceGrant in, the status Portico writes and a Portico-side
 * route model out. No I/O, no clocks, no client calls.
 *
 * <p>Three stages, each a type of its own:
 *
 * <ol>
 *   <li><b>Reading</b> ({@link io.portico.controller.gateway.GatewayApiReader}): each object
 *       becomes an immutable view with the CRDs' defaults applied (what the API server does before
 *       storing an object, and what manifests mode must do itself), after the validation the API
 *       server would apply. An object that fails it is not read; the problems name the field. The
 *       fabric8 objects are never modified: the snapshot shares them.
 *   <li><b>Attachment</b> ({@link io.portico.controller.gateway.GatewayAttachment}): which classes
 *       are Portico's, which listeners are usable on which local port, which routes attach to which
 *       listeners (parentRefs, allowedRoutes, hostnames), which references ReferenceGrants permit,
 *       and the resulting status of every object ({@link
 *       io.portico.controller.gateway.GatewayApiStatus}).
 *   <li><b>Routes</b> ({@link io.portico.controller.gateway.GatewayRoutes}): the rules of the
 *       attached routes per local port and listener, with their hostnames intersected and in the
 *       precedence order of the specification ({@link
 *       io.portico.controller.gateway.RulePrecedence}).
 * </ol>
 */
@NullMarked
package io.portico.controller.gateway;

import org.jspecify.annotations.NullMarked;
