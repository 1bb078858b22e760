/**
 * IP addresses and CIDR sets, parsed without name lookups and precomputed for lookups on the
 * request path, and how the client's address is decided when trusted proxies stand in front of
 * Portico ({@link io.portico.router.address.ClientAddressRules}). No Vert.x or Netty types: request
 * policies and the controller use these too.
 */
@NullMarked
package io.portico.router.address;

import org.jspecify.annotations.NullMarked;
