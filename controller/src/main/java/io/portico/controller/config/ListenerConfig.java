package io.portico.controller.config;

import static java.util.Objects.requireNonNull;

import io.portico.router.proxy.ProxySettings;

/**
 * The listener options the controller ConfigMap's keys give. They shape every connection's pipeline
 * from its first byte, so they are read once, from the ConfigMap as Portico found it at start
 * ({@link ConfigKey.Applies#AT_START}): {@code use-proxy-protocol}.
 */
public final class ListenerConfig {

  private ListenerConfig() {}

  /** {@code settings} with the listener options of {@code config}. */
  public static ProxySettings apply(ProxySettings settings, ControllerConfig config) {
    requireNonNull(settings, "settings");
    requireNonNull(config, "config");
    return settings.withProxyProtocol(config.get(ConfigKeys.USE_PROXY_PROTOCOL));
  }
}
