package io.portico.controller.config;

import static java.util.Objects.requireNonNull;

import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxySettings;

/**
 * The listener options the controller ConfigMap's keys give. They shape every connection's pipeline
 * from its first byte, so they are read once, from the ConfigMap as Portico found it at start
 * ({@link ConfigKey.Applies#AT_START}): {@code use-proxy-protocol}, {@code
 * proxy-protocol-header-timeout} and {@code large-client-header-buffers}; for the HTTPS listener,
 * {@code enable-ocsp}.
 */
public final class ListenerConfig {

  private ListenerConfig() {}

  /** {@code settings} with the listener options of {@code config}. */
  public static ProxySettings apply(ProxySettings settings, ControllerConfig config) {
    requireNonNull(settings, "settings");
    requireNonNull(config, "config");
    HeaderBuffers buffers = config.get(ConfigKeys.LARGE_CLIENT_HEADER_BUFFERS);
    return settings.toBuilder()
        .proxyProtocol(config.get(ConfigKeys.USE_PROXY_PROTOCOL))
        .proxyProtocolTimeout(config.get(ConfigKeys.PROXY_PROTOCOL_HEADER_TIMEOUT))
        .maxInitialLineLength(buffers.maxRequestLine())
        .maxHeaderSize(buffers.maxHeaderBlock())
        .build();
  }

  /** {@code https} with the HTTPS listener options of {@code config}: {@code enable-ocsp}. */
  public static HttpsSettings apply(HttpsSettings https, ControllerConfig config) {
    requireNonNull(https, "https");
    requireNonNull(config, "config");
    return https.withOcspStapling(config.get(ConfigKeys.ENABLE_OCSP));
  }
}
