package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A response a policy gives instead of the backend's: a status, headers and an optional small body.
 * The route's response-head edits apply to it as to any other response.
 *
 * @param status a final status, 200 to 599
 * @param headers the response's headers, in order
 * @param body the body, or {@code null} for none
 */
public record PolicyAnswer(int status, List<Header> headers, @Nullable String body) {

  /** One response header. */
  public record Header(String name, String value) {
    public Header {
      HeaderEdits.checkName(name);
      HeaderEdits.checkValue(name, value);
    }
  }

  private static final Header PLAIN_TEXT = new Header("content-type", "text/plain; charset=utf-8");

  public PolicyAnswer {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 200 to 599)");
    }
    headers = List.copyOf(requireNonNull(headers, "headers"));
  }

  /** A response with a status only: no headers, no body. */
  public static PolicyAnswer of(int status) {
    return new PolicyAnswer(status, List.of(), null);
  }

  /** Portico's own short answer: {@code status} with a plain-text {@code body}. */
  public static PolicyAnswer text(int status, String body) {
    return new PolicyAnswer(status, List.of(PLAIN_TEXT), body);
  }

  /** A redirect: {@code status} with {@code Location}, no body. */
  public static PolicyAnswer redirect(int status, String location) {
    return new PolicyAnswer(status, List.of(new Header("location", location)), null);
  }
}
