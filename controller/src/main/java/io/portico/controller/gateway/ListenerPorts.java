package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import io.portico.controller.snapshot.ObjectKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code --gateway-listener-ports}: which local port serves each Gateway listener port. The
 * defaults map 80 to Portico's HTTP listener and 443 to its HTTPS listener; an entry {@code
 * PORT=LOCAL} adds a port or replaces a default, and {@code NAMESPACE/NAME:PORT=LOCAL} gives one
 * Gateway's listeners on {@code PORT} a socket of their own, ahead of the unqualified entries.
 *
 * @param shared the mapping for every Gateway
 * @param perGateway the mappings of single Gateways
 */
public record ListenerPorts(
    Map<Integer, LocalPort> shared, Map<ObjectKey, Map<Integer, LocalPort>> perGateway) {

  /** 80 to the HTTP listener and 443 to the HTTPS listener. */
  public static final ListenerPorts DEFAULTS =
      new ListenerPorts(Map.of(80, LocalPort.HTTP, 443, LocalPort.HTTPS), Map.of());

  public ListenerPorts {
    shared = Map.copyOf(shared);
    Map<ObjectKey, Map<Integer, LocalPort>> copy = new HashMap<>();
    perGateway.forEach((key, ports) -> copy.put(key, Map.copyOf(ports)));
    perGateway = Map.copyOf(copy);
  }

  /**
   * The defaults with the given entries added.
   *
   * @throws IllegalArgumentException naming the entry that is not {@code
   *     [NAMESPACE/NAME:]PORT=LOCAL}
   */
  public static ListenerPorts parse(List<String> entries) {
    Map<Integer, LocalPort> shared = new TreeMap<>(DEFAULTS.shared);
    Map<ObjectKey, Map<Integer, LocalPort>> perGateway = new HashMap<>();
    for (String entry : entries) {
      requireNonNull(entry, "entry");
      int equals = entry.indexOf('=');
      if (equals < 0) {
        throw bad(entry);
      }
      String left = entry.substring(0, equals);
      int local = port(entry, entry.substring(equals + 1), 0);
      int colon = left.lastIndexOf(':');
      if (colon < 0) {
        shared.put(port(entry, left, 1), new LocalPort.Opened(local));
        continue;
      }
      ObjectKey gateway;
      try {
        gateway = ObjectKey.parse(left.substring(0, colon));
      } catch (IllegalArgumentException e) {
        throw bad(entry);
      }
      perGateway
          .computeIfAbsent(gateway, g -> new TreeMap<>())
          .put(port(entry, left.substring(colon + 1), 1), new LocalPort.Opened(local));
    }
    return new ListenerPorts(shared, perGateway);
  }

  /** The local port serving {@code port} of the Gateway {@code gateway}, if any. */
  public Optional<LocalPort> localFor(ObjectKey gateway, int port) {
    Map<Integer, LocalPort> own = perGateway.get(gateway);
    if (own != null && own.containsKey(port)) {
      return Optional.of(own.get(port));
    }
    return Optional.ofNullable(shared.get(port));
  }

  /** The Gateway ports with a local port for every Gateway, in order, for messages. */
  public String describeShared() {
    return new TreeMap<>(shared).keySet().toString();
  }

  private static int port(String entry, String text, int min) {
    try {
      int port = Integer.parseInt(text);
      if (port >= min && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(entry);
  }

  private static IllegalArgumentException bad(String entry) {
    return new IllegalArgumentException(
        "--gateway-listener-ports: "
            + entry
            + " (expected: PORT=LOCAL or NAMESPACE/NAME:PORT=LOCAL, ports 1 to 65535, LOCAL 0 to"
            + " 65535)");
  }
}
