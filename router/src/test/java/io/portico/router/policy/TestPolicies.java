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

  /** A request to {@code host}{@code pathAndQuery} with no headers. */
  record Request(String host, String pathAndQuery, ListenerFacts listener)
      implements PolicyRequest {

    static Request plain(String host, String pathAndQuery) {
      return new Request(host, pathAndQuery, new ListenerFacts(false, 443, false));
    }

    static Request tls(String host, String pathAndQuery) {
      return new Request(host, pathAndQuery, new ListenerFacts(true, 443, true));
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
      return null;
    }

    @Override
    public List<String> headers(String name) {
      return List.of();
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
}
