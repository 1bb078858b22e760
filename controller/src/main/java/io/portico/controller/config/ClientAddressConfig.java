package io.portico.controller.config;

import static java.util.Objects.requireNonNull;

import io.portico.router.address.CidrSet;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.address.ClientAddressRules.Source;

/**
 * The client address rules the controller ConfigMap's keys give, read as ingress-nginx reads them:
 * {@code use-forwarded-headers} trusts a front proxy's {@code X-Forwarded-*} (its address from
 * {@code forwarded-for-header}); {@code enable-real-ip} trusts only the address; {@code
 * compute-full-forwarded-for} counts only with {@code use-forwarded-headers}. Both trust only the
 * peers {@code proxy-real-ip-cidr} names, none by default; so does {@code use-proxy-protocol}, for
 * the source address of a PROXY header.
 */
public final class ClientAddressConfig {

  private ClientAddressConfig() {}

  /** The rules of {@code config}. */
  public static ClientAddressRules rules(ControllerConfig config) {
    requireNonNull(config, "config");
    boolean forwardedHeaders = config.get(ConfigKeys.USE_FORWARDED_HEADERS);
    Source source =
        forwardedHeaders
            ? Source.FORWARDED_HEADERS
            : config.get(ConfigKeys.ENABLE_REAL_IP) ? Source.REAL_IP_HEADER : Source.PEER;
    CidrSet trusted = config.get(ConfigKeys.PROXY_REAL_IP_CIDR);
    if (source == Source.PEER && trusted.isEmpty()) {
      return ClientAddressRules.PEER_ONLY;
    }
    return new ClientAddressRules(
        source,
        config.get(ConfigKeys.FORWARDED_FOR_HEADER),
        trusted,
        forwardedHeaders && config.get(ConfigKeys.COMPUTE_FULL_FORWARDED_FOR));
  }
}
