package io.portico.router.policy;

import io.portico.router.address.ClientAddress;
import io.portico.router.address.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Small policies and a request for the policy tests. */
final class TestPolicies {

  private TestPolicies() {}

  /** A policy of a phase that acts through {@code action}; equal by name and phase. */
  record Named(String name, PolicyPhase phase, BiConsumer<PolicyRequest, PolicyExchange> action)
      implements RequestPolicy {

    static Named proceeding(String name, PolicyPhase phase) {
      return new Named(name, phase, (request, exchange) -> exchange.proceed());
    }

    @Override
    public void apply(PolicyRequest request, PolicyExchange exchange) {
      action.accept(request, exchange);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Named other && name.equals(other.name) && phase == other.phase;
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A request to {@code authority}{@code pathAndQuery} ({@code host} is the authority without its
   * port) with the given headers (names in lower case).
   */
  record Request(
      String host,
      String authority,
      String pathAndQuery,
      ListenerFacts listener,
      Map<String, String> headerValues)
      implements PolicyRequest {

    /** A request to {@code host}{@code pathAndQuery} with no headers. */
    Request(String host, String pathAndQuery, ListenerFacts listener) {
      this(host, host, pathAndQuery, listener, Map.of());
    }

    static Request plain(String host, String pathAndQuery) {
      return new Request(host, pathAndQuery, new ListenerFacts(false, 443, false));
    }

    static Request tls(String host, String pathAndQuery) {
      return new Request(host, pathAndQuery, new ListenerFacts(true, 443, true));
    }

    /** This request with a port in its authority, as a client names a non-default port. */
    Request port(int port) {
      return new Request(host, host + ":" + port, pathAndQuery, listener, headerValues);
    }

    /** This request with one more header. */
    Request header(String name, String value) {
      Map<String, String> more = new java.util.HashMap<>(headerValues);
      more.put(name, value);
      return new Request(host, authority, pathAndQuery, listener, Map.copyOf(more));
    }

    @Override
    public String method() {
      return "GET";
    }

    @Override
    public String path() {
      int query = pathAndQuery.indexOf('?');
      return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }

    @Override
    public String query() {
      int query = pathAndQuery.indexOf('?');
      return query < 0 ? null : pathAndQuery.substring(query + 1);
    }

    @Override
    public String header(String name) {
      return headerValues.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public List<String> headers(String name) {
      String value = header(name);
      return value == null ? List.of() : List.of(value);
    }

    @Override
    public ClientAddress client() {
      return ClientAddress.direct(IpAddress.parse("192.0.2.1").orElseThrow());
    }
  }

  /** Response headers in a map, as a response head. */
  record Head(int status, Map<String, String> headers) implements ResponseHead {
    @Override
    public String header(String name) {
      return headers.get(name);
    }

    @Override
    public void set(String name, String value) {
      headers.put(name, value);
    }

    @Override
    public void add(String name, String value) {
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }

    @Override
    public void remove(String name) {
      headers.remove(name);
    }
  }

  /**
   * What a chain of one policy decided: an answer, or to proceed with its changes to what goes
   * upstream.
   */
  record Decision(PolicyAnswer answer, UpstreamChanges changes) {

    static Decision of(RequestPolicy policy, PolicyRequest request) {
      PolicyAnswer[] answered = {null};
      UpstreamChanges[] changed = {null};
      boolean[] proceeded = {false};
      PolicyChain chain =
          new PolicyChain(
              RoutePolicies.of(policy),
              request,
              new PolicyChain.Outcome() {
                @Override
                public void proceeded(PolicyChain chain) {
                  proceeded[0] = true;
                  changed[0] = chain.upstreamChanges();
                }

                @Override
                public void answered(PolicyChain chain, PolicyAnswer answer) {
                  answered[0] = answer;
                }

                @Override
                public void failed(RequestPolicy failed, RuntimeException error) {
                  throw error;
                }

                @Override
                public void execute(Runnable step) {
                  step.run();
                }
              });
      chain.start();
      if (!proceeded[0] && answered[0] == null) {
        throw new AssertionError(policy + " decided nothing");
      }
      return new Decision(answered[0], changed[0]);
    }

    boolean proceeded() {
      return answer == null;
    }

    int status() {
      return answer == null ? 0 : answer.status();
    }

    /** The answer's Location, or {@code null}. */
    String location() {
      if (answer == null) {
        return null;
      }
      return answer.headers().stream()
          .filter(h -> h.name().equalsIgnoreCase("location"))
          .map(PolicyAnswer.Header::value)
          .findFirst()
          .orElse(null);
    }

    /** The URI sent upstream, or {@code null} when unchanged. */
    String upstreamUri() {
      return changes == null ? null : changes.uri();
    }

    /** The upstream headers as set by the policy, in a map (removals as {@code null}). */
    Map<String, String> upstreamHeaders() {
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      if (changes != null) {
        changes
            .headers()
            .applyTo(
                new HeaderTarget() {
                  @Override
                  public void set(String name, String value) {
                    headers.put(name, value);
                  }

                  @Override
                  public void add(String name, String value) {
                    headers.merge(name, value, (a, b) -> a + ", " + b);
                  }

                  @Override
                  public void remove(String name) {
                    headers.put(name, null);
                  }
                });
      }
      return headers;
    }
  }
}
