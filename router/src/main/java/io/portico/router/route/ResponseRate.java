package io.portico.router.route;

/**
 * How fast a route sends each response body to its client ({@code limit-rate} and {@code
 * limit-rate-after}, nginx's {@code limit_rate} and {@code limit_rate_after}): the first {@code
 * fullSpeedBytes} at once, the rest at no more than {@code bytesPerSecond}. The limit is per
 * response, as nginx's: a client with two downloads gets twice the rate.
 *
 * @param bytesPerSecond the most body bytes sent per second once paced; 0 for no limit
 * @param fullSpeedBytes the body bytes sent at once before the pacing starts
 */
public record ResponseRate(long bytesPerSecond, long fullSpeedBytes) {

  /** No limit: every byte at once. */
  public static final ResponseRate NONE = new ResponseRate(0, 0);

  public ResponseRate {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bytesPerSecond: " + bytesPerSecond + " (expected: >= 0)");
    }
    if (fullSpeedBytes < 0) {
      throw new IllegalArgumentException("fullSpeedBytes: " + fullSpeedBytes + " (expected: >= 0)");
    }
  }

  /**
   * {@code rateKib} KiB per second after {@code afterKib} KiB, as the annotations count; {@link
   * #NONE} when {@code rateKib} is 0, since the bytes at full speed mean nothing without a limit.
   */
  public static ResponseRate ofKib(long rateKib, long afterKib) {
    if (rateKib == 0) {
      return NONE;
    }
    return new ResponseRate(Math.multiplyExact(rateKib, 1024), Math.multiplyExact(afterKib, 1024));
  }

  /** Whether responses are paced. */
  public boolean limited() {
    return bytesPerSecond > 0;
  }
}
