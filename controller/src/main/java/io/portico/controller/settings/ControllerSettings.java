package io.portico.controller.settings;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.balance.AffinityKey;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxySettings;
import java.util.Optional;

/**
 * What a controller needs to start. Build one with {@link #builder}; every part has a default fit
 * for tests and embedders (loopback, free ports), which the command line replaces from flags.
 *
 * @param source where the state comes from
 * @param translator the flags translation depends on
 * @param proxy the plain HTTP listener and the upstream client
 * @param https the HTTPS listener
 * @param adminBind the address of the admin listener
 * @param adminPort the admin port, 0 for a free one
 * @param affinityKey the key of session-affinity cookies
 * @param defaultTlsSecret {@code --default-tls-secret}; empty for the generated certificate
 * @param operations access log, shutdown and sync timing
 */
public record ControllerSettings(
    SourceSettings source,
    TranslatorSettings translator,
    ProxySettings proxy,
    HttpsSettings https,
    String adminBind,
    int adminPort,
    AffinityKey affinityKey,
    Optional<ObjectKey> defaultTlsSecret,
    OperationsSettings operations) {

  public ControllerSettings {
    requireNonNull(source, "source");
    requireNonNull(translator, "translator");
    requireNonNull(proxy, "proxy");
    requireNonNull(https, "https");
    requireNonNull(adminBind, "adminBind");
    requireNonNull(affinityKey, "affinityKey");
    requireNonNull(defaultTlsSecret, "defaultTlsSecret");
    requireNonNull(operations, "operations");
  }

  /**
   * Settings for {@code source} with the defaults: {@link TranslatorSettings#defaults()}, HTTP and
   * admin on 127.0.0.1 and HTTPS on free ports, the built-in affinity key, the generated default
   * certificate and {@link OperationsSettings#defaults()}.
   */
  public static Builder builder(SourceSettings source) {
    return new Builder(source);
  }

  /** Collects the parts of {@link ControllerSettings}; each call replaces one default. */
  public static final class Builder {
    private final SourceSettings source;
    private TranslatorSettings translator = TranslatorSettings.defaults();
    private ProxySettings proxy = ProxySettings.defaults("127.0.0.1", 0);
    private HttpsSettings https = HttpsSettings.defaults(0);
    private String adminBind = "127.0.0.1";
    private int adminPort;
    private AffinityKey affinityKey = AffinityKey.builtIn();
    private Optional<ObjectKey> defaultTlsSecret = Optional.empty();
    private OperationsSettings operations = OperationsSettings.defaults();

    private Builder(SourceSettings source) {
      this.source = requireNonNull(source, "source");
    }

    public Builder translator(TranslatorSettings translator) {
      this.translator = requireNonNull(translator, "translator");
      return this;
    }

    public Builder proxy(ProxySettings proxy) {
      this.proxy = requireNonNull(proxy, "proxy");
      return this;
    }

    public Builder https(HttpsSettings https) {
      this.https = requireNonNull(https, "https");
      return this;
    }

    /** The admin listener's address and port (0 for a free one). */
    public Builder admin(String bind, int port) {
      this.adminBind = requireNonNull(bind, "bind");
      this.adminPort = port;
      return this;
    }

    public Builder affinityKey(AffinityKey affinityKey) {
      this.affinityKey = requireNonNull(affinityKey, "affinityKey");
      return this;
    }

    public Builder defaultTlsSecret(Optional<ObjectKey> defaultTlsSecret) {
      this.defaultTlsSecret = requireNonNull(defaultTlsSecret, "defaultTlsSecret");
      return this;
    }

    public Builder operations(OperationsSettings operations) {
      this.operations = requireNonNull(operations, "operations");
      return this;
    }

    public ControllerSettings build() {
      return new ControllerSettings(
          source,
          translator,
          proxy,
          https,
          adminBind,
          adminPort,
          affinityKey,
          defaultTlsSecret,
          operations);
    }
  }
}
