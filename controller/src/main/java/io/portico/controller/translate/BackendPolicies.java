package io.portico.controller.translate;

import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.ControllerConfig;
import io.portico.router.balance.AffinityMode;
import io.portico.router.balance.BackendPolicy;
import io.portico.router.balance.CookieAffinity;
import io.portico.router.balance.LoadBalancing;
import io.portico.router.balance.SameSite;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads an Ingress's load-balancing and session-affinity annotations into the {@link BackendPolicy}
 * of every backend it names, with ingress-nginx's names and defaults. A value that cannot be used
 * is reported (naming the annotation as written and the value) and replaced by the default: an
 * annotation never stops the Ingress from serving.
 *
 * <p>The {@code session-cookie-*} annotations are read only when {@code affinity: cookie} is set,
 * and otherwise ignored, as ingress-nginx does.
 */
final class BackendPolicies {

  private final IngressAnnotations annotations;
  private final ControllerConfig config;
  private final Consumer<String> warn;

  private BackendPolicies(
      IngressAnnotations annotations, ControllerConfig config, Consumer<String> warn) {
    this.annotations = annotations;
    this.config = config;
    this.warn = warn;
  }

  /**
   * The policy an Ingress's annotations ask for; {@code load-balance} defaults to the controller
   * ConfigMap's key of that name.
   *
   * @param warn receives one message per unusable value
   */
  static BackendPolicy read(
      IngressAnnotations annotations, ControllerConfig config, Consumer<String> warn) {
    return new BackendPolicies(annotations, config, warn).policy();
  }

  private BackendPolicy policy() {
    LoadBalancing loadBalancing = loadBalancing();
    Optional<String> affinity = annotations.get("affinity");
    if (affinity.isEmpty()) {
      return BackendPolicy.of(loadBalancing);
    }
    if (!affinity.get().equalsIgnoreCase("cookie")) {
      invalid("affinity", affinity.get(), "cookie", "session affinity is off");
      return BackendPolicy.of(loadBalancing);
    }
    return BackendPolicy.of(loadBalancing, cookie());
  }

  private LoadBalancing loadBalancing() {
    LoadBalancing fallback = config.get(ConfigKeys.LOAD_BALANCE);
    Optional<String> value = annotations.get("load-balance");
    if (value.isEmpty()) {
      return fallback;
    }
    Optional<LoadBalancing> read = ConfigKeys.LOAD_BALANCE.parse(value.get());
    if (read.isPresent()) {
      return read.get();
    }
    invalid("load-balance", value.get(), ConfigKeys.LOAD_BALANCE.expected(), "using " + fallback);
    return fallback;
  }

  private CookieAffinity cookie() {
    CookieAffinity.Builder cookie = CookieAffinity.builder();
    annotations
        .get("affinity-mode")
        .ifPresent(
            mode -> {
              switch (mode.toLowerCase(Locale.ROOT)) {
                case "balanced" -> cookie.mode(AffinityMode.BALANCED);
                case "persistent" -> cookie.mode(AffinityMode.PERSISTENT);
                default ->
                    invalid("affinity-mode", mode, "balanced or persistent", "using balanced");
              }
            });
    annotations
        .get("session-cookie-name")
        .ifPresent(
            name -> {
              if (CookieAffinity.isValidName(name)) {
                cookie.name(name);
              } else {
                invalid(
                    "session-cookie-name",
                    name,
                    CookieAffinity.NAME_RULE,
                    "using " + CookieAffinity.DEFAULT_NAME);
              }
            });
    annotations
        .get("session-cookie-path")
        .ifPresent(
            path -> {
              if (CookieAffinity.isValidPath(path)) {
                cookie.path(path);
              } else {
                invalid(
                    "session-cookie-path",
                    path,
                    CookieAffinity.PATH_RULE,
                    "using the path of each rule");
              }
            });
    seconds("session-cookie-max-age").ifPresent(cookie::maxAgeSeconds);
    seconds("session-cookie-expires").ifPresent(cookie::expiresSeconds);
    annotations
        .get("session-cookie-samesite")
        .ifPresent(
            value -> {
              for (SameSite sameSite : SameSite.values()) {
                if (sameSite.attribute().equalsIgnoreCase(value)) {
                  cookie.sameSite(sameSite);
                  return;
                }
              }
              invalid("session-cookie-samesite", value, "None, Lax or Strict", "no SameSite");
            });
    cookie.conditionalSameSiteNone(flag("session-cookie-conditional-samesite-none"));
    cookie.secure(flag("session-cookie-secure"));
    annotations
        .get("session-cookie-domain")
        .ifPresent(
            domain -> {
              if (CookieAffinity.isValidDomain(domain)) {
                cookie.domain(domain);
              } else {
                invalid(
                    "session-cookie-domain",
                    domain,
                    CookieAffinity.DOMAIN_RULE,
                    "the cookie stays on the request host");
              }
            });
    cookie.changeOnFailure(flag("session-cookie-change-on-failure"));
    return cookie.build();
  }

  private Optional<Long> seconds(String name) {
    Optional<String> value = annotations.get(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      long seconds = Long.parseLong(value.get());
      if (CookieAffinity.isValidSeconds(seconds)) {
        return Optional.of(seconds);
      }
    } catch (NumberFormatException e) {
      // Reported below with the other invalid values.
    }
    invalid(name, value.get(), CookieAffinity.SECONDS_RULE, "not set");
    return Optional.empty();
  }

  /** A {@code "true"}/{@code "false"} annotation; false when unset or invalid. */
  private boolean flag(String name) {
    Optional<String> value = annotations.get(name);
    if (value.isEmpty() || value.get().equalsIgnoreCase("false")) {
      return false;
    }
    if (value.get().equalsIgnoreCase("true")) {
      return true;
    }
    invalid(name, value.get(), "\"true\" or \"false\"", "using false");
    return false;
  }

  private void invalid(String name, String value, String expected, String instead) {
    warn.accept(
        annotations.keyOf(name) + ": " + value + " (expected: " + expected + "); " + instead);
  }
}
