package io.portico.router.access;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyExchange;
import io.portico.router.policy.PolicyPhase;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.policy.RequestPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * HTTP basic authentication ({@code auth-type: basic}), as ingress-nginx's {@code auth_basic}: a
 * request without valid credentials gets 401 with {@code WWW-Authenticate: Basic realm="..."}; a
 * valid one goes on, its {@code Authorization} header passed to the backend as nginx does.
 *
 * <p>Checking a bcrypt hash costs milliseconds of CPU, so it runs on a small shared pool, never on
 * the event loop; the request waits unread meanwhile, and when the pool's queue is full it gets 503
 * rather than piling up. Credentials that checked out are remembered in a bounded cache (by a
 * SHA-256 of user and password, never the password itself), so a keep-alive client pays once. The
 * cache belongs to this policy, which is rebuilt whenever its Secret changes. Credentials are never
 * logged.
 *
 * <p>Equality is by realm and credentials, so that an unchanged Ingress gives equal routes.
 */
public final class BasicAuthPolicy implements RequestPolicy {

  /** ingress-nginx's default realm. */
  public static final String DEFAULT_REALM = "";

  private static final int CACHE_SIZE = 10_000;
  private static final Duration CACHE_TIME = Duration.ofMinutes(5);

  private static final Executor CHECKS = checkPool();

  private static final PolicyAnswer BUSY =
      PolicyAnswer.text(503, "503 Service Unavailable: too many password checks at once\n");

  private final String realm;
  private final BasicCredentials credentials;
  private final PolicyAnswer challenge;
  private final Executor executor;
  private final Cache<String, Boolean> verified =
      Caffeine.newBuilder().maximumSize(CACHE_SIZE).expireAfterWrite(CACHE_TIME).build();

  /**
   * @param realm the realm the challenge names ({@code auth-realm}); quotes and backslashes are
   *     escaped, control characters refused
   */
  public BasicAuthPolicy(String realm, BasicCredentials credentials) {
    this(realm, credentials, CHECKS);
  }

  /** With the executor bcrypt checks run on, for tests. */
  BasicAuthPolicy(String realm, BasicCredentials credentials, Executor executor) {
    this.realm = requireNonNull(realm, "realm");
    this.credentials = requireNonNull(credentials, "credentials");
    this.executor = requireNonNull(executor, "executor");
    if (!isValidRealm(realm)) {
      throw new IllegalArgumentException(
          "realm: \"" + realm + "\" (expected: text without control characters)");
    }
    this.challenge =
        new PolicyAnswer(
            401,
            List.of(
                new PolicyAnswer.Header(
                    "www-authenticate", "Basic realm=\"" + quoted(realm) + "\""),
                new PolicyAnswer.Header("content-type", "text/plain; charset=utf-8")),
            "401 Authorization Required\n");
  }

  /** Whether {@code realm} can name a realm: no control characters. */
  public static boolean isValidRealm(String realm) {
    return realm.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
  }

  public String realm() {
    return realm;
  }

  public BasicCredentials credentials() {
    return credentials;
  }

  @Override
  public PolicyPhase phase() {
    return PolicyPhase.AUTHENTICATION;
  }

  @Override
  public void apply(PolicyRequest request, PolicyExchange exchange) {
    String[] userAndPassword = userAndPassword(request.header("authorization"));
    if (userAndPassword == null) {
      exchange.answer(challenge);
      return;
    }
    String user = userAndPassword[0];
    String password = userAndPassword[1];
    PasswordHash hash = credentials.hashOf(user).orElse(null);
    if (hash == null) {
      exchange.answer(challenge);
      return;
    }
    String key = cacheKey(user, password);
    if (verified.getIfPresent(key) != null) {
      exchange.proceed();
      return;
    }
    if (!hash.costly()) {
      decide(hash.matches(password), key, exchange);
      return;
    }
    try {
      executor.execute(() -> decide(hash.matches(password), key, exchange));
    } catch (RejectedExecutionException e) {
      exchange.answer(BUSY);
    }
  }

  private void decide(boolean matches, String key, PolicyExchange exchange) {
    if (matches) {
      verified.put(key, Boolean.TRUE);
      exchange.proceed();
    } else {
      exchange.answer(challenge);
    }
  }

  /** User and password of a {@code Basic} header, or {@code null} when it is absent or garbled. */
  static String @Nullable [] userAndPassword(@Nullable String header) {
    if (header == null) {
      return null;
    }
    String value = header.strip();
    if (value.length() < 6 || !value.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
      return null;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(value.substring(6).strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
    String text = new String(decoded, StandardCharsets.UTF_8);
    int colon = text.indexOf(':');
    if (colon < 0) {
      return null;
    }
    return new String[] {text.substring(0, colon), text.substring(colon + 1)};
  }

  private static String cacheKey(String user, String password) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(user.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(password.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static String quoted(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static Executor checkPool() {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors() / 2);
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024),
            task -> {
              Thread thread = new Thread(task, "portico-password-check-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o == this
        || (o instanceof BasicAuthPolicy other
            && realm.equals(other.realm)
            && credentials.equals(other.credentials));
  }

  @Override
  public int hashCode() {
    return realm.hashCode() * 31 + credentials.hashCode();
  }

  @Override
  public String toString() {
    return "BasicAuthPolicy[realm=" + realm + ", " + credentials + "]";
  }
}
