package io.portico.controller.config;

import java.util.Optional;

/**
 * nginx's {@code large_client_header_buffers} (ingress-nginx's ConfigMap key {@code
 * large-client-header-buffers}, default {@code 4 8k}): a request line may be at most one buffer
 * long, and a request head at most all of them. Portico reads a head into as much memory as it
 * needs, so the two numbers are limits, not buffers: the longest request line ({@link
 * #maxRequestLine}, 414 beyond it) and the largest header block ({@link #maxHeaderBlock}, 431
 * beyond it).
 *
 * @param number how many buffers, 1 or more
 * @param size the size of one, in bytes, 1k to 64k
 */
public record HeaderBuffers(int number, int size) {

  /** ingress-nginx's default, {@code 4 8k}. */
  public static final HeaderBuffers DEFAULT = new HeaderBuffers(4, 8 * 1024);

  // Bounds that keep a head in memory bounded: at most 256 KiB per connection.
  private static final int MAX_NUMBER = 32;
  private static final int MIN_SIZE = 1024;
  private static final int MAX_SIZE = 64 * 1024;

  public HeaderBuffers {
    if (number < 1 || number > MAX_NUMBER) {
      throw new IllegalArgumentException(
          "number: " + number + " (expected: 1 to " + MAX_NUMBER + ")");
    }
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new IllegalArgumentException("size: " + size + " (expected: 1k to 64k)");
    }
  }

  /** What the ConfigMap key takes, for its messages. */
  static final String EXPECTED = "a number and a size, such as 4 8k (1 to 32 buffers of 1k to 64k)";

  /** Reads {@code "4 8k"}: a count, spaces, a size as nginx writes one. */
  static Optional<HeaderBuffers> parse(String text) {
    String[] words = text.trim().split("\\s+");
    if (words.length != 2 || !words[0].matches("\\d{1,2}")) {
      return Optional.empty();
    }
    int number = Integer.parseInt(words[0]);
    Optional<Long> size = ConfigKey.readSize(words[1]);
    if (number < 1
        || number > MAX_NUMBER
        || size.isEmpty()
        || size.get() < MIN_SIZE
        || size.get() > MAX_SIZE) {
      return Optional.empty();
    }
    return Optional.of(new HeaderBuffers(number, size.get().intValue()));
  }

  /** The longest request line: one buffer. */
  public int maxRequestLine() {
    return size;
  }

  /** The largest header block: every buffer. */
  public int maxHeaderBlock() {
    return number * size;
  }

  @Override
  public String toString() {
    return number + " " + (size % 1024 == 0 ? (size / 1024) + "k" : Integer.toString(size));
  }
}
