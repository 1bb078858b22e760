package io.portico.router.balance;

import java.util.Locale;

/** How sticky a session cookie is (the {@code affinity-mode} annotation). */
public enum AffinityMode {
  /**
   * The cookie carries a random session key that consistent hashing maps onto the current
   * endpoints: when endpoints come or go, only a fair share of sessions moves. The default, as in
   * ingress-nginx.
   */
  BALANCED,
  /** The cookie names one endpoint, and the client stays there as long as that endpoint exists. */
  PERSISTENT;

  /** The value as the annotation spells it. */
  public String annotationValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return annotationValue();
  }
}
