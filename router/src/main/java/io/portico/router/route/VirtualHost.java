package io.portico.router.route;

import java.util.HashMap;
import java.util.Map;

/**
 * The paths of one host pattern: a hash map of {@code Exact} paths and a trie of {@code Prefix}
 * paths keyed by segment, so a lookup costs one hash probe per request segment however many rules
 * the host has.
 */
final class VirtualHost {

  private final Map<String, RouteTarget> exact;
  private final PrefixNode prefixes;
  private final RouteTarget fallback;

  private VirtualHost(Map<String, RouteTarget> exact, PrefixNode prefixes, RouteTarget fallback) {
    this.exact = exact;
    this.prefixes = prefixes;
    this.fallback = fallback;
  }

  /**
   * The target for a normalised path: an {@code Exact} rule equal to the whole path, else the
   * longest {@code Prefix} rule, else the host's fallback ({@code null} when it has none).
   *
   * <p>An exact match is always at least as long as any prefix match, so checking it first is the
   * "longest match wins, Exact beats Prefix on equal length" rule.
   */
  RouteTarget match(String path) {
    RouteTarget exactTarget = exact.get(path);
    if (exactTarget != null) {
      return exactTarget;
    }
    RouteTarget prefixTarget = prefixes.longestMatch(path);
    return prefixTarget != null ? prefixTarget : fallback;
  }

  static final class Builder {
    private final Map<String, RouteTarget> exact = new HashMap<>();
    private final PrefixNode prefixes = new PrefixNode();
    private RouteTarget fallback;

    void add(RouteTarget target) {
      PathMatch path = target.route().path();
      if (path instanceof PathMatch.Exact) {
        exact.put(path.path(), target);
      } else {
        prefixes.insert(path.path(), target);
      }
    }

    void fallback(RouteTarget target) {
      fallback = target;
    }

    boolean hasFallback() {
      return fallback != null;
    }

    VirtualHost build() {
      return new VirtualHost(Map.copyOf(exact), prefixes.freeze(), fallback);
    }
  }

  /** A trie node: one path segment, the prefix rule ending here (if any), and the next segments. */
  private static final class PrefixNode {
    private Map<String, PrefixNode> children = new HashMap<>();
    private RouteTarget target;

    void insert(String prefix, RouteTarget routeTarget) {
      PrefixNode node = this;
      int start = 1;
      while (start < prefix.length()) {
        int end = prefix.indexOf('/', start);
        if (end < 0) {
          end = prefix.length();
        }
        node = node.children.computeIfAbsent(prefix.substring(start, end), s -> new PrefixNode());
        start = end + 1;
      }
      node.target = routeTarget;
    }

    PrefixNode freeze() {
      for (PrefixNode child : children.values()) {
        child.freeze();
      }
      children = children.isEmpty() ? Map.of() : Map.copyOf(children);
      return this;
    }

    RouteTarget longestMatch(String path) {
      PrefixNode node = this;
      RouteTarget best = target;
      int length = path.length();
      int start = 1;
      while (start < length) {
        int end = path.indexOf('/', start);
        if (end < 0) {
          end = length;
        }
        if (end > start) {
          node = node.children.get(path.substring(start, end));
          if (node == null) {
            break;
          }
          if (node.target != null) {
            best = node.target;
          }
        }
        start = end + 1;
      }
      return best;
    }
  }
}
