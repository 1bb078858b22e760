package io.portico.controller;

import io.portico.controller.sync.TranslationListener;
import io.portico.controller.translate.Translation;
import io.portico.router.proxy.ProxyServer;
import io.portico.router.route.ListenerKey;
import io.portico.router.route.ListenerRoutes;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the local ports that {@code --gateway-listener-ports} maps Gateway listener ports to, each
 * speaking the protocol of the Gateway listeners served there, and closes those no translation asks
 * for any more. Hears every translation after the publisher; the data plane, which starts after the
 * first translation, is attached when it runs, and catches up with the latest at once.
 */
final class OpenedListeners implements TranslationListener {

  private static final Logger LOG = LoggerFactory.getLogger(OpenedListeners.class);

  // Null until the data plane starts.
  private @Nullable ProxyServer proxy;
  private Map<ListenerKey, Boolean> latest = Map.of();

  @Override
  public synchronized void translated(Translation translation, long translationNanos) {
    latest = wanted(translation);
    apply();
  }

  /** From now on, {@code server} opens and closes the listeners, starting with the latest. */
  synchronized void attach(ProxyServer server) {
    proxy = server;
    apply();
  }

  private void apply() {
    ProxyServer server = proxy;
    if (server != null) {
      server
          .openedListeners(latest)
          .onFailure(e -> LOG.debug("event=listener_changes_failed error=\"{}\"", e.toString()));
    }
  }

  private static Map<ListenerKey, Boolean> wanted(Translation translation) {
    Map<ListenerKey, Boolean> wanted = new TreeMap<>();
    for (ListenerRoutes listener : translation.routes().listenerRoutes()) {
      if (listener.key().kind() == ListenerKey.Kind.OPENED) {
        wanted.put(listener.key(), listener.tls());
      }
    }
    return wanted;
  }
}
