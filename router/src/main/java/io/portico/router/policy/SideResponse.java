package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The head of the answer to a {@link SideRequest}: its status and headers.
 *
 * @param status the status code
 * @param headers every header, in order, names as received
 */
public record SideResponse(int status, List<PolicyAnswer.Header> headers) {

  public SideResponse {
    headers = List.copyOf(requireNonNull(headers, "headers"));
  }

  /** Every value of header {@code name} (case-insensitive), in order; empty when absent. */
  public List<String> values(String name) {
    List<String> values = new ArrayList<>(1);
    for (PolicyAnswer.Header header : headers) {
      if (header.name().equalsIgnoreCase(name)) {
        values.add(header.value());
      }
    }
    return values;
  }
}
