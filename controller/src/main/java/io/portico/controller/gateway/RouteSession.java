package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * A rule's {@code sessionPersistence} (GEP-1619, experimental channel) as read, with the CRD's
 * defaults applied: type {@code Cookie}, lifetime {@code Session}.
 *
 * @param sessionName {@code sessionName}: the cookie's (or header's) name, if given
 * @param absoluteTimeout {@code absoluteTimeout}, if given
 * @param idleTimeout {@code idleTimeout}, which earlier experimental versions had, if written
 * @param type how the session travels
 * @param lifetime {@code cookieConfig.lifetimeType}
 */
public record RouteSession(
    Optional<String> sessionName,
    Optional<Duration> absoluteTimeout,
    Optional<Duration> idleTimeout,
    Type type,
    Lifetime lifetime) {

  /** {@code type}. */
  public enum Type {
    COOKIE,
    HEADER
  }

  /** {@code cookieConfig.lifetimeType}. */
  public enum Lifetime {
    /** A cookie without {@code Max-Age} or {@code Expires}: it ends with the browser session. */
    SESSION,
    /** A cookie that lasts {@code absoluteTimeout}. */
    PERMANENT
  }

  public RouteSession {
    requireNonNull(sessionName, "sessionName");
    requireNonNull(absoluteTimeout, "absoluteTimeout");
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(type, "type");
    requireNonNull(lifetime, "lifetime");
  }
}
