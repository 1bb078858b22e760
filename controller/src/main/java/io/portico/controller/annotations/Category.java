package io.portico.controller.annotations;

/**
 * What an annotation is about. The category decides the fate of an annotation Portico does not
 * honour: {@link #ACCESS} and {@link #PROTECTION} refuse the Ingress (fail closed), {@link
 * #SNIPPET} refuses it unless {@code --snippet-annotations=ignore}, {@link #CANARY} refuses it (a
 * canary served as a normal Ingress would take all the traffic); the others are ignored with a
 * reason.
 */
public enum Category {
  /** Who may reach a backend, and how requests are authenticated. */
  ACCESS,
  /** Protections that bound what a client may send or ask: rate limits, body size, a WAF. */
  PROTECTION,
  /** nginx configuration text, never interpreted by Portico. */
  SNIPPET,
  /** Which rule answers, and rewrites, redirects and error pages. */
  ROUTING,
  /** How requests reach the backend: protocol, timeouts, buffering, balancing. */
  UPSTREAM,
  /** TLS towards the client or the backend, and HTTPS redirects. */
  TLS,
  /** Session affinity (sticky cookies). */
  AFFINITY,
  /** Canary Ingresses, which take part of another Ingress's traffic. */
  CANARY,
  /** Copies of requests sent to another backend. */
  MIRROR,
  /** Logs and traces. */
  OBSERVABILITY,
  /** Anything else. */
  OTHER;

  /** Whether an annotation of this category that Portico does not honour refuses its Ingress. */
  public boolean refusesWhenNotHonoured() {
    return this == ACCESS || this == PROTECTION || this == SNIPPET || this == CANARY;
  }

  /** The category in lower case, as docs and JSON show it. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
