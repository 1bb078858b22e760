package io.portico.router.proxy;

import io.portico.router.route.RouteTarget;

/**
 * Hears what the data plane does, for metrics and the access log. Every method is called on an
 * event loop: implementations must not block, lock or do expensive work there.
 */
public interface TrafficObserver {

  /** Hears nothing. */
  TrafficObserver NONE = new TrafficObserver() {};

  /**
   * A request is over: its response ended, or its client went away first. The record is only valid
   * during the call; keep what you need, not the record.
   */
  default void requestEnded(RequestRecord record) {}

  /** One attempt to reach a backend failed (the request may still succeed on a retry). */
  default void upstreamFailed(RouteTarget target, ProxyFailure failure) {}

  /** A request is being retried on another endpoint. */
  default void upstreamRetried(RouteTarget target) {}

  /** The copy of a request for its route's mirror is done with, sent or not. */
  default void mirrorEnded(RouteTarget target, MirrorOutcome outcome) {}

  /** A client connection was accepted (after its TLS handshake, on the HTTPS listener). */
  default void connectionOpened(boolean tls) {}

  /** A client connection closed. */
  default void connectionClosed(boolean tls) {}

  /** A TLS handshake failed on the HTTPS listener. */
  default void tlsHandshakeFailed() {}

  /** Passes every event to each observer in turn. */
  static TrafficObserver of(TrafficObserver... observers) {
    TrafficObserver[] all = observers.clone();
    return new TrafficObserver() {
      @Override
      public void requestEnded(RequestRecord record) {
        for (TrafficObserver o : all) {
          o.requestEnded(record);
        }
      }

      @Override
      public void upstreamFailed(RouteTarget target, ProxyFailure failure) {
        for (TrafficObserver o : all) {
          o.upstreamFailed(target, failure);
        }
      }

      @Override
      public void upstreamRetried(RouteTarget target) {
        for (TrafficObserver o : all) {
          o.upstreamRetried(target);
        }
      }

      @Override
      public void mirrorEnded(RouteTarget target, MirrorOutcome outcome) {
        for (TrafficObserver o : all) {
          o.mirrorEnded(target, outcome);
        }
      }

      @Override
      public void connectionOpened(boolean tls) {
        for (TrafficObserver o : all) {
          o.connectionOpened(tls);
        }
      }

      @Override
      public void connectionClosed(boolean tls) {
        for (TrafficObserver o : all) {
          o.connectionClosed(tls);
        }
      }

      @Override
      public void tlsHandshakeFailed() {
        for (TrafficObserver o : all) {
          o.tlsHandshakeFailed();
        }
      }
    };
  }
}
