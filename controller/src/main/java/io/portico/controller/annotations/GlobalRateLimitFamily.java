package io.portico.controller.annotations;

import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.ControllerConfig;
import io.portico.controller.config.GoDuration;
import io.portico.router.address.CidrSet;
import io.portico.router.memcached.MemcachedCounters;
import io.portico.router.memcached.MemcachedServer;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.limit.GlobalRateLimit;
import io.portico.router.policy.limit.GlobalRateLimitPolicy;
import io.portico.router.policy.limit.ThrottleKey;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rate limits shared by every replica: {@code global-rate-limit}, {@code global-rate-limit-window},
 * {@code global-rate-limit-key} and {@code global-rate-limit-ignored-cidrs}, counted in the
 * memcached server of the ConfigMap's {@code global-rate-limit-memcached-*} keys and answered with
 * its {@code global-rate-limit-status-code} (429), as ingress-nginx v1.11 (the last with them)
 * reads them. The counts belong to the Ingress: its routes share them.
 *
 * <p>Without a memcached host (or with port 0) ingress-nginx applies no global limit; Portico does
 * the same and says so with a warning. A limit, window, key or ignored range that cannot be read
 * refuses the Ingress, as the local limits do (ingress-nginx would serve it without the limit or
 * deny every request); a key outside ingress-nginx's syntax is reported and {@code $remote_addr}
 * counts instead, as ingress-nginx does.
 */
public final class GlobalRateLimitFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "global-ratelimit";

  private static final String LIMIT = "global-rate-limit";
  private static final String WINDOW = "global-rate-limit-window";
  private static final String KEY = "global-rate-limit-key";
  private static final String IGNORED = "global-rate-limit-ignored-cidrs";

  // Counts live two windows, and memcached takes a relative expiry of at most 30 days.
  private static final long MAX_WINDOW_SECONDS = 15 * 24 * 3600;

  private static final Set<String> ANNOTATIONS = Set.of(LIMIT, WINDOW, KEY, IGNORED);

  /** The policy of every route of one Ingress: the same limit, whatever the host and path. */
  private record EveryRoute(List<RequestPolicy> policies) implements RoutePolicyRule {
    @Override
    public List<RequestPolicy> policies(HostnamePattern host, PathMatch path) {
      return policies;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> annotations() {
    return ANNOTATIONS;
  }

  @Override
  public void read(
      AnnotationValues values,
      IngressContext context,
      IngressPolicy.Builder policy,
      AnnotationReport report) {
    Optional<String> limitText = values.get(LIMIT);
    Optional<String> windowText = values.get(WINDOW);
    Optional<String> keyText = values.get(KEY);
    Optional<String> ignoredText = values.get(IGNORED);
    int limit = 0;
    if (limitText.isPresent()) {
      Optional<Integer> read = integer(limitText.get()).filter(value -> value >= 0);
      if (read.isEmpty()) {
        report.refuse(
            LIMIT,
            "\""
                + limitText.get()
                + "\" is not a whole number of requests: served without the limit, the backend"
                + " would take every request");
        return;
      }
      limit = read.get();
    }
    if (limit == 0) {
      for (String name : List.of(WINDOW, KEY, IGNORED)) {
        if (values.has(name)) {
          report.unused(name, "global-rate-limit is not set");
        }
      }
      return;
    }
    if (windowText.isEmpty()) {
      report.refuse(
          LIMIT, "global-rate-limit-window is not set: a limit needs the window it counts over");
      return;
    }
    Optional<Duration> window = GoDuration.parse(windowText.get());
    if (window.isEmpty()
        || window.get().getSeconds() < 1
        || window.get().getSeconds() > MAX_WINDOW_SECONDS) {
      report.refuse(
          WINDOW,
          "\""
              + windowText.get()
              + "\" is not a duration from 1s to 360h, such as 1s or 2m: the limit has no"
              + " window");
      return;
    }
    ThrottleKey key = ThrottleKey.REMOTE_ADDR;
    if (keyText.isPresent() && !keyText.get().isEmpty()) {
      if (!ThrottleKey.SYNTAX.matcher(keyText.get()).matches()) {
        report.invalid(
            KEY,
            "\"" + keyText.get() + "\"",
            "letters, digits, -, _ and nginx variables such as $remote_addr",
            "using $remote_addr");
      } else {
        Optional<String> problem = ThrottleKey.problem(keyText.get());
        if (problem.isPresent()) {
          report.refuse(
              KEY,
              "\""
                  + keyText.get()
                  + "\" cannot be counted (expected: "
                  + problem.get()
                  + "): served without it, the limit would count other requests together");
          return;
        }
        key = new ThrottleKey(keyText.get());
      }
    }
    CidrSet ignored = CidrSet.EMPTY;
    if (ignoredText.isPresent()) {
      List<String> items = new ArrayList<>();
      for (String item : ignoredText.get().split(",")) {
        if (!item.isBlank()) {
          items.add(item.strip());
        }
      }
      for (String item : items) {
        if (!CidrSet.isValid(item)) {
          report.refuse(
              IGNORED,
              "\"" + item + "\" is not an IP address or CIDR block: the ranges cannot be read");
          return;
        }
      }
      ignored = CidrSet.parse(items);
    }
    ControllerConfig config = context.config();
    String host = config.get(ConfigKeys.GLOBAL_RATE_LIMIT_MEMCACHED_HOST);
    int port = config.get(ConfigKeys.GLOBAL_RATE_LIMIT_MEMCACHED_PORT);
    if (host.isEmpty() || port == 0) {
      report.invalid(
          LIMIT,
          "\"" + limitText.orElse("") + "\"",
          "a memcached server in the controller ConfigMap's global-rate-limit-memcached-host and"
              + " -port",
          "no global limit applies, as in ingress-nginx");
      return;
    }
    MemcachedServer server =
        new MemcachedServer(
            host,
            port,
            Duration.ofMillis(config.get(ConfigKeys.GLOBAL_RATE_LIMIT_MEMCACHED_CONNECT_TIMEOUT)),
            Duration.ofMillis(config.get(ConfigKeys.GLOBAL_RATE_LIMIT_MEMCACHED_MAX_IDLE_TIMEOUT)),
            config.get(ConfigKeys.GLOBAL_RATE_LIMIT_MEMCACHED_POOL_SIZE));
    GlobalRateLimit global =
        new GlobalRateLimit(
            context.namespace() + "/" + context.name(),
            limit,
            // Whole seconds, as ingress-nginx truncates the window.
            (int) window.get().getSeconds(),
            key,
            ignored,
            config.get(ConfigKeys.GLOBAL_RATE_LIMIT_STATUS_CODE));
    policy.routeRule(
        new EveryRoute(List.of(new GlobalRateLimitPolicy(global, new MemcachedCounters(server)))));
  }

  private static Optional<Integer> integer(String text) {
    try {
      return Optional.of(Integer.parseInt(text.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
