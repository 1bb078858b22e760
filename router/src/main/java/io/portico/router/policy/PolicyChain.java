package io.portico.router.policy;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Runs one request through its route's policies in order, continuation-style: a policy that decides
 * before returning lets the next one run in the same loop (no recursion, however long the chain),
 * and one that decides later resumes the chain on the request's event loop through {@link
 * Outcome#execute}. The chain ends in exactly one call to its {@link Outcome}: {@link
 * Outcome#proceeded}, {@link Outcome#answered} or {@link Outcome#failed}.
 *
 * <p>One per request, for routes that have policies; confined to the request's event loop except
 * for {@link #proceed()} and {@link #answer}, which may come from any thread.
 */
public final class PolicyChain implements PolicyExchange {

  /** Where a chain leads: implemented by the proxy, which owns the request and its response. */
  public interface Outcome {

    /** Every policy let the request go on: it goes upstream, with the chain's changes. */
    void proceeded(PolicyChain chain);

    /** A policy answered the request. */
    void answered(PolicyChain chain, PolicyAnswer answer);

    /** A policy threw: the request is failed, never let through. */
    void failed(RequestPolicy policy, RuntimeException error);

    /** Runs {@code step} on the request's event loop: at once when called there, else queued. */
    void execute(Runnable step);

    /**
     * Runs {@code release} once when the request's exchange ends (see {@link
     * PolicyExchange#onEnd}), at once if it ended already.
     *
     * @throws UnsupportedOperationException where the outcome cannot tell when it ends (a test's)
     */
    default void onEnd(Runnable release) {
      throw new UnsupportedOperationException("onEnd: not supported by " + getClass().getName());
    }

    /**
     * Sends {@code request} on the side (see {@link PolicyExchange#send}); {@code callback} hears
     * the answer on the request's event loop.
     *
     * @throws UnsupportedOperationException where the outcome has no client (a test's)
     */
    default void send(SideRequest request, SideRequest.Callback callback) {
      throw new UnsupportedOperationException("send: not supported by " + getClass().getName());
    }
  }

  private static final VarHandle AWAITING;

  // host or [IPv6], then an optional port: what a Host header may carry (RFC 9110, section 7.2).
  private static final Pattern AUTHORITY =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(:[0-9]{1,5})?");

  static {
    try {
      AWAITING = MethodHandles.lookup().findVarHandle(PolicyChain.class, "awaiting", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final List<RequestPolicy> policies;
  private final PolicyRequest request;
  private final Outcome outcome;
  // The index of the policy whose decision is awaited, or -1 once it decided.
  private volatile int awaiting = -1;
  // Event loop only: the next policy to run, and whether the chain reached its outcome.
  private int next;
  private boolean done;
  // The thread inside a policy's apply, and what that policy decided before returning.
  private @Nullable Thread applying;
  private boolean proceededInline;
  private @Nullable PolicyAnswer answeredInline;
  private @Nullable String upstreamUri;
  private @Nullable String upstreamAuthority;
  private @Nullable HeaderEdits upstreamHeaders;
  private @Nullable HeaderEdits responseHeaders;
  private int backend;
  private @Nullable MirrorPolicy mirror;

  public PolicyChain(RoutePolicies policies, PolicyRequest request, Outcome outcome) {
    this.policies = policies.all();
    this.request = requireNonNull(request, "request");
    this.outcome = requireNonNull(outcome, "outcome");
  }

  /** Runs the policies from the first; call once, on the request's event loop. */
  public void start() {
    run();
  }

  /** Whether the chain reached its outcome; false while a policy's decision is awaited. */
  public boolean done() {
    return done;
  }

  /** What the policies changed in what goes upstream, or {@code null} when nothing. */
  public @Nullable UpstreamChanges upstreamChanges() {
    if (upstreamUri == null
        && upstreamAuthority == null
        && upstreamHeaders == null
        && backend == 0
        && mirror == null) {
      return null;
    }
    return new UpstreamChanges(
        upstreamUri,
        upstreamAuthority,
        upstreamHeaders == null ? new HeaderEdits() : upstreamHeaders,
        backend,
        mirror);
  }

  /** Response headers the policies set or added, or {@code null} when none. */
  public @Nullable HeaderEdits responseHeaders() {
    return responseHeaders;
  }

  private void run() {
    while (!done && next < policies.size()) {
      RequestPolicy policy = policies.get(next);
      proceededInline = false;
      answeredInline = null;
      awaiting = next++;
      applying = Thread.currentThread();
      try {
        policy.apply(request, this);
      } catch (RuntimeException e) {
        applying = null;
        awaiting = -1;
        done = true;
        outcome.failed(policy, e);
        return;
      }
      applying = null;
      if (answeredInline != null) {
        done = true;
        outcome.answered(this, answeredInline);
        return;
      }
      if (!proceededInline) {
        // The policy decides later, through proceed() or answer().
        return;
      }
    }
    if (!done) {
      done = true;
      outcome.proceeded(this);
    }
  }

  @Override
  public void proceed() {
    decide();
    if (applying == Thread.currentThread()) {
      proceededInline = true;
      return;
    }
    outcome.execute(this::run);
  }

  @Override
  public void answer(PolicyAnswer answer) {
    requireNonNull(answer, "answer");
    decide();
    if (applying == Thread.currentThread()) {
      answeredInline = answer;
      return;
    }
    outcome.execute(
        () -> {
          if (!done) {
            done = true;
            outcome.answered(this, answer);
          }
        });
  }

  /** Marks the awaited decision as made; a second decision for one policy is a bug in it. */
  private void decide() {
    int current = awaiting;
    if (current < 0 || !AWAITING.compareAndSet(this, current, -1)) {
      throw new IllegalStateException(
          "policy decision: none awaited (expected: one proceed() or answer() per policy)");
    }
  }

  private void checkUndecided() {
    if (awaiting < 0) {
      throw new IllegalStateException(
          "policy change: after the decision (expected: before proceed() or answer())");
    }
  }

  @Override
  public void useBackend(int index) {
    int current = awaiting;
    checkUndecided();
    if (index < 0) {
      throw new IllegalArgumentException("backend: " + index + " (expected: 0 or more)");
    }
    RequestPolicy chooser = policies.get(Math.max(current, 0));
    if (chooser.phase() != PolicyPhase.BACKEND_CHOICE) {
      throw new IllegalStateException(
          "backend choice: by " + chooser + " (expected: a BACKEND_CHOICE policy)");
    }
    backend = index;
  }

  @Override
  public void mirror(MirrorPolicy copy) {
    requireNonNull(copy, "copy");
    checkUndecided();
    mirror = copy;
  }

  @Override
  public void upstreamUri(String pathAndQuery) {
    requireNonNull(pathAndQuery, "pathAndQuery");
    checkUndecided();
    if (!pathAndQuery.startsWith("/") || hasControlOrSpace(pathAndQuery)) {
      throw new IllegalArgumentException(
          "upstream uri: " + pathAndQuery + " (expected: origin form, /path?query)");
    }
    upstreamUri = pathAndQuery;
  }

  @Override
  public void upstreamAuthority(String authority) {
    requireNonNull(authority, "authority");
    checkUndecided();
    if (!isAuthority(authority)) {
      throw new IllegalArgumentException(
          "upstream authority: " + authority + " (expected: host or host:port)");
    }
    upstreamAuthority = authority;
  }

  @Override
  public void setUpstreamHeader(String name, String value) {
    checkUndecided();
    upstreamHeaders().set(notHost(name), value);
  }

  @Override
  public void removeUpstreamHeader(String name) {
    checkUndecided();
    upstreamHeaders().remove(notHost(name));
  }

  @Override
  public void setResponseHeader(String name, String value) {
    checkUndecided();
    responseHeaderEdits().set(name, value);
  }

  @Override
  public void addResponseHeader(String name, String value) {
    checkUndecided();
    responseHeaderEdits().add(name, value);
  }

  @Override
  public void addResponseHeader(String name, String value, Set<Integer> statuses) {
    checkUndecided();
    responseHeaderEdits().addIf(statuses, name, value);
  }

  @Override
  public void send(SideRequest request, SideRequest.Callback callback) {
    requireNonNull(request, "request");
    requireNonNull(callback, "callback");
    checkUndecided();
    outcome.send(request, callback);
  }

  @Override
  public void onEnd(Runnable release) {
    requireNonNull(release, "release");
    checkUndecided();
    outcome.onEnd(release);
  }

  private HeaderEdits upstreamHeaders() {
    if (upstreamHeaders == null) {
      upstreamHeaders = new HeaderEdits();
    }
    return upstreamHeaders;
  }

  private HeaderEdits responseHeaderEdits() {
    if (responseHeaders == null) {
      responseHeaders = new HeaderEdits();
    }
    return responseHeaders;
  }

  private static String notHost(String name) {
    requireNonNull(name, "name");
    if (name.equalsIgnoreCase("host")) {
      throw new IllegalArgumentException("header name: " + name + " (expected: upstreamAuthority)");
    }
    return name;
  }

  private static boolean hasControlOrSpace(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code authority} is {@code host} or {@code host:port}, as a Host header may carry. */
  static boolean isAuthority(String authority) {
    return AUTHORITY.matcher(authority).matches() && portInRange(authority);
  }

  private static boolean portInRange(String authority) {
    int colon = authority.lastIndexOf(':');
    if (colon < 0 || authority.lastIndexOf(']') > colon) {
      return true;
    }
    int port = Integer.parseInt(authority.substring(colon + 1));
    return port >= 1 && port <= 65_535;
  }
}
