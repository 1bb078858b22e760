package io.portico.router.policy;

import java.util.Set;

/**
 * How a {@link RequestPolicy} acts on one request. Exactly one of {@link #proceed()} and {@link
 * #answer} is called per policy, before {@link RequestPolicy#apply} returns or later, from any
 * thread: the chain goes on on the request's event loop either way. The other methods record
 * changes, and are called before that decision, from the thread that makes it.
 */
public interface PolicyExchange {

  /** Lets the request go on: to the next policy, or to the backend after the last one. */
  void proceed();

  /**
   * Answers the request; no later policy runs and nothing goes upstream. The route's response
   * headers, and those added through {@link #setResponseHeader}, apply to the answer.
   */
  void answer(PolicyAnswer answer);

  /**
   * Sends the request to another backend of its route: 0 is the route's own, 1 and up its canaries
   * in order. Only a {@link PolicyPhase#BACKEND_CHOICE} policy chooses.
   */
  void useBackend(int index);

  /**
   * Sends a copy of the request to the route's mirror as {@code copy} says, besides the request
   * itself; the copy's answer is discarded.
   */
  void mirror(MirrorPolicy copy);

  /** Sends {@code pathAndQuery} (origin form: starts with {@code /}) upstream instead. */
  void upstreamUri(String pathAndQuery);

  /** Sends {@code authority} ({@code host} or {@code host:port}) as the upstream {@code Host}. */
  void upstreamAuthority(String authority);

  /** Sets a header of the request to the backend, replacing the client's. Not {@code Host}. */
  void setUpstreamHeader(String name, String value);

  /** Removes a header from the request to the backend. Not {@code Host}. */
  void removeUpstreamHeader(String name);

  /** Sets a header of the response to the client, whoever writes it, replacing theirs. */
  void setResponseHeader(String name, String value);

  /** Adds a header to the response to the client, whoever writes it. */
  void addResponseHeader(String name, String value);

  /**
   * Adds a header to the response to the client, whoever writes it, when its status is one of
   * {@code statuses} (nginx's {@code add_header} without {@code always} adds only to some).
   */
  default void addResponseHeader(String name, String value, Set<Integer> statuses) {
    throw new UnsupportedOperationException(
        "addResponseHeader: not supported by " + getClass().getName());
  }

  /**
   * Sends {@code request} on the side, while this request waits (external auth). {@code callback}
   * hears the answer once, on the request's event loop; the policy decides from there. Call it
   * before deciding.
   *
   * @throws UnsupportedOperationException where the exchange has no client (a test's)
   */
  default void send(SideRequest request, SideRequest.Callback callback) {
    throw new UnsupportedOperationException("send: not supported by " + getClass().getName());
  }

  /**
   * Runs {@code release} once when the request's exchange ends, however it ends: its response sent,
   * a policy's or Portico's own answer, the client gone, the backend failed or timed out. For what
   * a policy holds while the request is in flight (a connection count); it runs on the request's
   * event loop, at once if the exchange ended already, and must not block or throw.
   *
   * @throws UnsupportedOperationException where the exchange cannot tell when it ends (a test's)
   */
  default void onEnd(Runnable release) {
    throw new UnsupportedOperationException("onEnd: not supported by " + getClass().getName());
  }
}
