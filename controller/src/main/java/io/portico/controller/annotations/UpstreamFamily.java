package io.portico.controller.annotations;

import io.portico.controller.config.ConfigKey;
import io.portico.controller.config.ConfigKeys;
import io.portico.controller.config.ControllerConfig;
import io.portico.router.route.BackendProtocol;
import io.portico.router.route.BackendTls;
import io.portico.router.route.RequestDeadlines;
import io.portico.router.route.ResponseRate;
import io.portico.router.route.RetryPolicy;
import io.portico.router.route.UpstreamSettings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the routes of an Ingress talk to its backends: the {@code proxy-*} timeouts, {@code
 * proxy-body-size} and {@code proxy-buffer-size}, the bandwidth limits of {@code limit-rate} and
 * {@code limit-rate-after}, the retries of {@code proxy-next-upstream*}, {@code
 * proxy-http-version}, {@code connection-proxy-header}, and {@code backend-protocol}, read into one
 * {@link UpstreamSettings} with ingress-nginx's syntax and defaults: annotation, else the
 * controller ConfigMap's key of the same name, else the built-in default (for the timeouts,
 * Portico's {@code --upstream-*-timeout} flags, whose defaults are ingress-nginx's). A value that
 * cannot be used is reported and the default applies; {@code backend-protocol: FCGI}, which Portico
 * does not speak, refuses the Ingress.
 */
public final class UpstreamFamily implements AnnotationFamily {

  /** The family's name in the catalogue. */
  public static final String NAME = "upstream";

  /** The largest response head Portico reads from a backend. */
  public static final long MAX_BUFFER_SIZE = 32 * 1024;

  private static final Set<String> ANNOTATIONS =
      Set.of(
          "backend-protocol",
          "connection-proxy-header",
          "limit-rate",
          "limit-rate-after",
          "proxy-body-size",
          "proxy-buffer-size",
          "proxy-connect-timeout",
          "proxy-http-version",
          "proxy-next-upstream",
          "proxy-next-upstream-timeout",
          "proxy-next-upstream-tries",
          "proxy-read-timeout",
          "proxy-send-timeout");

  /** The largest {@code limit-rate} or {@code limit-rate-after}, in KiB: 1 TiB. */
  public static final long MAX_KIB = 1L << 30;

  // Up to ten digits, checked against MAX_KIB after parsing.
  private static final Pattern KIB = Pattern.compile("[0-9]{1,10}");

  private static final Pattern CONNECTION = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

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
    policy.upstream(new Reading(values, context.config(), report).settings());
  }

  /** The words of {@code proxy-next-upstream} as a policy; empty when one is not a word of it. */
  public static Optional<RetryPolicy> retryPolicy(String words, int tries, long timeoutMillis) {
    Set<RetryPolicy.Condition> conditions = EnumSet.noneOf(RetryPolicy.Condition.class);
    boolean off = false;
    for (String word : words.strip().split("\\s+")) {
      switch (word) {
        case "error", "invalid_header" -> conditions.add(RetryPolicy.Condition.ERROR);
        case "timeout" -> conditions.add(RetryPolicy.Condition.TIMEOUT);
        case "http_403" -> conditions.add(RetryPolicy.Condition.HTTP_403);
        case "http_404" -> conditions.add(RetryPolicy.Condition.HTTP_404);
        case "http_429" -> conditions.add(RetryPolicy.Condition.HTTP_429);
        case "http_500" -> conditions.add(RetryPolicy.Condition.HTTP_500);
        case "http_502" -> conditions.add(RetryPolicy.Condition.HTTP_502);
        case "http_503" -> conditions.add(RetryPolicy.Condition.HTTP_503);
        case "http_504" -> conditions.add(RetryPolicy.Condition.HTTP_504);
        case "non_idempotent" -> conditions.add(RetryPolicy.Condition.NON_IDEMPOTENT);
        case "off" -> off = true;
        default -> {
          return Optional.empty();
        }
      }
    }
    if (off) {
      return Optional.of(RetryPolicy.OFF);
    }
    RetryPolicy policy = new RetryPolicy(conditions, tries, timeoutMillis);
    return Optional.of(policy.equals(RetryPolicy.DEFAULT) ? RetryPolicy.DEFAULT : policy);
  }

  /** One read of one Ingress. */
  private static final class Reading {
    private final AnnotationValues values;
    private final ControllerConfig config;
    private final AnnotationReport report;

    Reading(AnnotationValues values, ControllerConfig config, AnnotationReport report) {
      this.values = values;
      this.config = config;
      this.report = report;
    }

    UpstreamSettings settings() {
      long connect = timeout("proxy-connect-timeout", ConfigKeys.PROXY_CONNECT_TIMEOUT);
      long read = timeout("proxy-read-timeout", ConfigKeys.PROXY_READ_TIMEOUT);
      long send = timeout("proxy-send-timeout", ConfigKeys.PROXY_SEND_TIMEOUT);
      long body =
          size(
              "proxy-body-size",
              ConfigKeys.PROXY_BODY_SIZE,
              Long.MAX_VALUE,
              config.get(ConfigKeys.PROXY_BODY_SIZE));
      // Unset, Portico's own limit applies (0), so that routes do not pay for the check.
      long buffer =
          size(
              "proxy-buffer-size",
              ConfigKeys.PROXY_BUFFER_SIZE,
              MAX_BUFFER_SIZE,
              config.isSet(ConfigKeys.PROXY_BUFFER_SIZE)
                  ? Math.min(config.get(ConfigKeys.PROXY_BUFFER_SIZE), MAX_BUFFER_SIZE)
                  : 0);
      BackendProtocol protocol = protocol();
      boolean http10 = http10(protocol);
      String connection = connection();
      UpstreamSettings settings =
          new UpstreamSettings(
              connect,
              read,
              send,
              body,
              (int) buffer,
              retry(),
              protocol,
              BackendTls.DEFAULT,
              http10,
              connection,
              RequestDeadlines.NONE,
              ResponseRate.ofKib(kib("limit-rate"), kib("limit-rate-after")));
      return UpstreamSettings.of(settings);
    }

    /**
     * KiB, a whole number as ingress-nginx reads it (nginx's {@code k}); 0 when unset or not such a
     * number, as ingress-nginx then falls back to its default, 0 (no limit).
     */
    private long kib(String name) {
      Optional<String> value = values.get(name);
      if (value.isEmpty()) {
        return 0;
      }
      String text = value.get().strip();
      if (KIB.matcher(text).matches() && Long.parseLong(text) <= MAX_KIB) {
        return Long.parseLong(text);
      }
      report.invalid(name, value.get(), "a whole number of KiB, at most " + MAX_KIB, "using 0");
      return 0;
    }

    /** Milliseconds: the annotation's, else the ConfigMap's when set, else 0 (the flag's). */
    private long timeout(String name, ConfigKey<Duration> key) {
      Optional<String> value = values.get(name);
      if (value.isPresent()) {
        Optional<Duration> read = key.parse(value.get());
        if (read.isPresent()) {
          return read.get().toMillis();
        }
        report.invalid(name, value.get(), key.expected(), "using the default");
      }
      return config.isSet(key) ? config.get(key).toMillis() : 0;
    }

    private long size(String name, ConfigKey<Long> key, long max, long fallback) {
      Optional<String> value = values.get(name);
      if (value.isEmpty()) {
        return fallback;
      }
      Optional<Long> read = key.parse(value.get());
      if (read.isPresent() && read.get() <= max) {
        return read.get();
      }
      report.invalid(
          name,
          value.get(),
          key.expected() + (max < Long.MAX_VALUE ? ", at most " + max / 1024 + "k" : ""),
          "using " + fallback);
      return fallback;
    }

    private RetryPolicy retry() {
      int tries = config.get(ConfigKeys.PROXY_NEXT_UPSTREAM_TRIES);
      Optional<String> triesText = values.get("proxy-next-upstream-tries");
      if (triesText.isPresent()) {
        Optional<Integer> read = ConfigKeys.PROXY_NEXT_UPSTREAM_TRIES.parse(triesText.get());
        if (read.isPresent()) {
          tries = read.get();
        } else {
          report.invalid(
              "proxy-next-upstream-tries",
              triesText.get(),
              ConfigKeys.PROXY_NEXT_UPSTREAM_TRIES.expected(),
              "using " + tries);
        }
      }
      long timeout = config.get(ConfigKeys.PROXY_NEXT_UPSTREAM_TIMEOUT).toMillis();
      Optional<String> timeoutText = values.get("proxy-next-upstream-timeout");
      if (timeoutText.isPresent()) {
        Optional<Duration> read = ConfigKeys.PROXY_NEXT_UPSTREAM_TIMEOUT.parse(timeoutText.get());
        if (read.isPresent()) {
          timeout = read.get().toMillis();
        } else {
          report.invalid(
              "proxy-next-upstream-timeout",
              timeoutText.get(),
              ConfigKeys.PROXY_NEXT_UPSTREAM_TIMEOUT.expected(),
              "using " + timeout / 1000);
        }
      }
      String words = config.get(ConfigKeys.PROXY_NEXT_UPSTREAM);
      Optional<String> wordsText = values.get("proxy-next-upstream");
      if (wordsText.isPresent()) {
        if (retryPolicy(wordsText.get(), tries, timeout).isPresent()) {
          words = wordsText.get();
        } else {
          report.invalid(
              "proxy-next-upstream",
              wordsText.get(),
              ConfigKeys.PROXY_NEXT_UPSTREAM.expected(),
              "using " + words);
        }
      }
      return retryPolicy(words, tries, timeout).orElse(RetryPolicy.DEFAULT);
    }

    private BackendProtocol protocol() {
      Optional<String> value = values.get("backend-protocol");
      if (value.isEmpty()) {
        return BackendProtocol.HTTP;
      }
      String upper = value.get().strip().toUpperCase(Locale.ROOT);
      if (upper.equals("FCGI")) {
        report.refuse(
            "backend-protocol",
            "FCGI: Portico does not speak FastCGI; served as HTTP, the backend would not"
                + " understand its requests");
        return BackendProtocol.HTTP;
      }
      for (BackendProtocol protocol : BackendProtocol.values()) {
        if (protocol.name().equals(upper)) {
          return protocol;
        }
      }
      report.invalid(
          "backend-protocol", value.get(), "HTTP, HTTPS, GRPC, GRPCS or AUTO_HTTP", "using HTTP");
      return BackendProtocol.HTTP;
    }

    private boolean http10(BackendProtocol protocol) {
      String version = config.get(ConfigKeys.PROXY_HTTP_VERSION);
      Optional<String> value = values.get("proxy-http-version");
      if (value.isPresent()) {
        if (ConfigKeys.PROXY_HTTP_VERSION.parse(value.get()).isPresent()) {
          version = value.get().strip();
        } else {
          report.invalid("proxy-http-version", value.get(), "1.0 or 1.1", "using " + version);
        }
      }
      if (version.equals("1.0") && protocol.http2()) {
        report.unused("proxy-http-version", "gRPC backends are spoken to over HTTP/2");
        return false;
      }
      return version.equals("1.0");
    }

    private String connection() {
      Optional<String> value = values.get("connection-proxy-header");
      if (value.isEmpty()) {
        return "";
      }
      String text = value.get().strip();
      if (CONNECTION.matcher(text).matches()) {
        return text;
      }
      report.invalid(
          "connection-proxy-header", value.get(), "a header token such as close", "not set");
      return "";
    }
  }
}
