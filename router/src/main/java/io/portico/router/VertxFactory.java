package io.portico.router;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the Vert.x instance Portico runs on: native transport when it loads. */
public final class VertxFactory {

  private static final Logger LOG = LoggerFactory.getLogger(VertxFactory.class);

  private VertxFactory() {}

  /**
   * A Vert.x instance with {@code eventLoops} event loops, preferring the native (epoll) transport,
   * and logging which transport it runs on.
   */
  public static Vertx create(int eventLoops) {
    return create(new VertxOptions().setEventLoopPoolSize(eventLoops));
  }

  /** A Vert.x instance with the given options, preferring the native transport. */
  public static Vertx create(VertxOptions options) {
    Vertx vertx = Vertx.vertx(options.setPreferNativeTransport(true));
    LOG.info(
        "event=vertx_started transport={} event_loops={}",
        vertx.isNativeTransportEnabled() ? "epoll" : "nio",
        options.getEventLoopPoolSize());
    return vertx;
  }
}
