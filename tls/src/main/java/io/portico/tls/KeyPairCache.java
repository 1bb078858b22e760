package io.portico.tls;

import static io.portico.tls.Messages.reason;
import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Parses each version of a TLS Secret once: a bounded cache from an opaque caller key to the
 * outcome of {@link TlsKeyPair#fromPem}, failures included, so a broken Secret is not parsed again
 * at every translation.
 *
 * <p>The key must change whenever the PEM text does: the controller passes {@code
 * namespace/name@resourceVersion}, or {@link #contentKey} of the text when there is no
 * resourceVersion. The cache never compares the text itself. Least recently used versions are
 * evicted beyond the maximum size. Thread-safe; concurrent lookups of one key parse once.
 */
public final class KeyPairCache {

  /** The default maximum number of cached outcomes. */
  public static final long DEFAULT_MAXIMUM_SIZE = 4096;

  /** What parses a Secret's text; {@link TlsKeyPair#fromPem} except in tests. */
  @FunctionalInterface
  interface Parser {
    TlsKeyPair parse(String certificateChainPem, String privateKeyPem) throws TlsMaterialException;
  }

  // Either the pair or the failure message: the exception itself is not kept, as its stack trace
  // and cause are of no use to later callers.
  private record Outcome(@Nullable TlsKeyPair pair, @Nullable String error) {}

  private final Cache<String, Outcome> outcomes;
  private final Parser parser;

  /** A cache of at most {@link #DEFAULT_MAXIMUM_SIZE} outcomes. */
  public KeyPairCache() {
    this(DEFAULT_MAXIMUM_SIZE);
  }

  /** A cache of at most {@code maximumSize} outcomes (at least 1). */
  public KeyPairCache(long maximumSize) {
    this(maximumSize, TlsKeyPair::fromPem);
  }

  KeyPairCache(long maximumSize, Parser parser) {
    if (maximumSize < 1) {
      throw new IllegalArgumentException("maximumSize: " + maximumSize + " (expected: >= 1)");
    }
    this.parser = requireNonNull(parser, "parser");
    this.outcomes = Caffeine.newBuilder().maximumSize(maximumSize).build();
  }

  /**
   * The pair for {@code key}, parsing {@code certificateChainPem} and {@code privateKeyPem} only if
   * this key was not seen (or was evicted).
   *
   * @param key identifies this version of the text, e.g. {@code namespace/name@resourceVersion}
   * @throws TlsMaterialException with the message of the first parse when the text is not usable;
   *     the failure is cached like a success
   */
  public TlsKeyPair get(String key, String certificateChainPem, String privateKeyPem)
      throws TlsMaterialException {
    requireNonNull(key, "key");
    requireNonNull(certificateChainPem, "certificateChainPem");
    requireNonNull(privateKeyPem, "privateKeyPem");
    Outcome outcome = outcomes.get(key, k -> parse(certificateChainPem, privateKeyPem));
    if (outcome.error() != null) {
      throw new TlsMaterialException(outcome.error());
    }
    return requireNonNull(outcome.pair(), "outcome.pair()");
  }

  /**
   * {@link #get(String, String, String)}, the pair saying it was read from {@code source} (see
   * {@link TlsKeyPair#source()}), for example the Secret's {@code namespace/name}. The source is
   * part of what is cached: pass the same one with a given key.
   */
  public TlsKeyPair get(String key, String source, String certificateChainPem, String privateKeyPem)
      throws TlsMaterialException {
    requireNonNull(key, "key");
    requireNonNull(source, "source");
    requireNonNull(certificateChainPem, "certificateChainPem");
    requireNonNull(privateKeyPem, "privateKeyPem");
    Outcome outcome =
        outcomes.get(
            key,
            k -> {
              Outcome parsed = parse(certificateChainPem, privateKeyPem);
              TlsKeyPair pair = parsed.pair();
              return pair == null ? parsed : new Outcome(pair.withSource(source), null);
            });
    if (outcome.error() != null) {
      throw new TlsMaterialException(outcome.error());
    }
    return requireNonNull(outcome.pair(), "outcome.pair()");
  }

  /** The approximate number of cached outcomes. */
  public long size() {
    outcomes.cleanUp();
    return outcomes.estimatedSize();
  }

  /**
   * A key for text without a resourceVersion: the SHA-256 of both values, so equal text shares one
   * entry and changed text gets a new one.
   */
  public static String contentKey(String certificateChainPem, String privateKeyPem) {
    requireNonNull(certificateChainPem, "certificateChainPem");
    requireNonNull(privateKeyPem, "privateKeyPem");
    String crtHash = TlsKeyPair.sha256Hex(certificateChainPem.getBytes(StandardCharsets.UTF_8));
    String keyHash = TlsKeyPair.sha256Hex(privateKeyPem.getBytes(StandardCharsets.UTF_8));
    return "sha256:"
        + TlsKeyPair.sha256Hex((crtHash + keyHash).getBytes(StandardCharsets.US_ASCII));
  }

  private Outcome parse(String certificateChainPem, String privateKeyPem) {
    try {
      return new Outcome(parser.parse(certificateChainPem, privateKeyPem), null);
    } catch (TlsMaterialException e) {
      return new Outcome(null, reason(e));
    }
  }
}
