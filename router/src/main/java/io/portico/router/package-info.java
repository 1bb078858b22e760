/**
 * The data plane: the current routing configuration and the listeners that serve it.
 *
 * <p>{@link io.portico.router.LiveConfig} holds the configuration every request reads once; {@link
 * io.portico.router.proxy.ProxyServer} serves it.
 */
@NullMarked
package io.portico.router;

import org.jspecify.annotations.NullMarked;
