package io.portico.controller.cli;

import io.portico.controller.snapshot.ObjectKey;
import io.portico.router.proxy.HttpsSettings;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The flags of HTTPS: redirects to it, HSTS, and the default certificate. */
final class TlsOptions {

  @Option(
      names = "--https-redirect-port",
      paramLabel = "PORT",
      description =
          "Port named in redirects from plain HTTP to HTTPS, left out when 443; 0 means the"
              + " --https-port itself (default: 443; portico demo: 0).")
  @Nullable Integer httpsRedirectPort;

  @Option(
      names = "--hsts",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "true",
      description =
          "Send Strict-Transport-Security on HTTPS responses of TLS hosts (default: ${DEFAULT-VALUE}).")
  boolean hsts;

  @Option(
      names = "--default-tls-secret",
      paramLabel = "NAMESPACE/NAME",
      description =
          "kubernetes.io/tls Secret served to clients no host certificate matches (default: a"
              + " self-signed certificate generated at start-up).")
  @Nullable String defaultTlsSecret;

  /** The HTTPS listener on {@code port}, with these redirect and HSTS settings. */
  HttpsSettings httpsSettings(int port) {
    return HttpsSettings.defaults(port)
        .withRedirectPort(
            httpsRedirectPort == null ? HttpsSettings.STANDARD_PORT : httpsRedirectPort)
        .withHsts(hsts);
  }

  /** {@code --default-tls-secret}, parsed. */
  Optional<ObjectKey> defaultTlsSecret() {
    return Optional.ofNullable(defaultTlsSecret).map(ObjectKey::parse);
  }
}
