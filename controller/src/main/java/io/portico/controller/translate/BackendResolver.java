package io.portico.controller.translate;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.snapshot.ObjectVersions;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns a Service port named by an Ingress into a {@link Backend}: finds the Service and its port
 * (by number or by name), then the endpoints through the EndpointSlices (or the Endpoints object)
 * of that Service, matching the slice port with the same name as the Service port (an unnamed
 * Service port matches the unnamed slice port).
 *
 * <p>Only ready endpoints take new requests; serving-but-terminating ones take them only when none
 * is ready, and otherwise are kept as draining. ExternalName Services forward to their DNS name.
 * Each Service port is resolved once per translation, however many rules name it.
 */
final class BackendResolver {

  /**
   * A resolved backend, and what was wrong with it.
   *
   * @param backend never null; without endpoints when something is missing (the route answers 503)
   * @param reason {@code null} when all is well, else a finding reason
   * @param problem what is wrong, naming the objects
   */
  record Resolution(Backend backend, @Nullable String reason, @Nullable String problem) {
    boolean ok() {
      return reason == null;
    }
  }

  private record Key(ObjectKey service, @Nullable String port, boolean clusterIp) {}

  /**
   * A resolution and the objects it was made from: the latest copies of their versions, so that the
   * memo never holds on to copies a snapshot has let go.
   */
  private record Entry(
      @Nullable Service service,
      List<EndpointSlice> slices,
      @Nullable Endpoints endpoints,
      Resolution resolution) {

    /** Whether the objects are the same versions as those this resolution was made from. */
    boolean madeFrom(
        @Nullable Service service, List<EndpointSlice> slices, @Nullable Endpoints endpoints) {
      if (!ObjectVersions.same(service, this.service)
          || !ObjectVersions.same(endpoints, this.endpoints)
          || slices.size() != this.slices.size()) {
        return false;
      }
      for (int i = 0; i < slices.size(); i++) {
        if (!ObjectVersions.same(slices.get(i), this.slices.get(i))) {
          return false;
        }
      }
      return true;
    }

    /** Whether these are the very objects this entry holds. */
    boolean holds(
        @Nullable Service service, List<EndpointSlice> slices, @Nullable Endpoints endpoints) {
      return service == this.service && slices == this.slices && endpoints == this.endpoints;
    }
  }

  /**
   * Resolutions kept from one translation to the next. A resolution is a function of the Service,
   * its EndpointSlices and its Endpoints object, which sources replace rather than modify when they
   * change (the rule of the {@linkplain io.portico.controller.snapshot snapshot package}): while
   * all of them are the same versions, the same resolution (the same {@link Backend} instance) is
   * returned, and so it is when they changed but resolve to an equal one. That is what lets {@link
   * IngressRules.Part#stillValid} recognise an Ingress whose backends did not change. Not
   * thread-safe: one translation at a time.
   */
  static final class Memo {
    private final Map<Key, Entry> entries = new HashMap<>();
    private final Map<ObjectKey, java.util.Set<Key>> byService = new HashMap<>();

    /** Drops what was kept for a Service no Ingress names any more. */
    void forget(ObjectKey service) {
      java.util.Set<Key> keys = byService.remove(service);
      if (keys != null) {
        keys.forEach(entries::remove);
      }
    }

    private void put(Key key, Entry entry) {
      if (entries.put(key, entry) == null) {
        byService.computeIfAbsent(key.service(), s -> new java.util.HashSet<>()).add(key);
      }
    }
  }

  private final ClusterSnapshot snapshot;
  private final Memo memo;
  private final boolean allowExternalNames;
  private final Map<Key, Entry> resolved = new HashMap<>();

  /**
   * @param memo resolutions kept from the last translation (made with the same settings)
   * @param allowExternalNames {@code --allow-external-name-services}
   */
  BackendResolver(ClusterSnapshot snapshot, Memo memo, boolean allowExternalNames) {
    this.snapshot = snapshot;
    this.memo = memo;
    this.allowExternalNames = allowExternalNames;
  }

  /**
   * Resolves a Service port.
   *
   * @param port a port number or port name, as the Ingress wrote it; {@code null} means the
   *     Service's first port
   */
  Resolution resolve(ObjectKey service, @Nullable String port) {
    return resolve(service, port, false);
  }

  /**
   * Resolves a Service port, to its ClusterIP and port as one endpoint when {@code clusterIp}
   * ({@code service-upstream}; the caller checked that the Service has a ClusterIP), else to its
   * endpoints.
   */
  Resolution resolve(ObjectKey service, @Nullable String port, boolean clusterIp) {
    Key key = new Key(service, port, clusterIp);
    Entry entry = resolved.get(key);
    if (entry == null) {
      Service object = snapshot.service(service);
      List<EndpointSlice> slices = snapshot.endpointSlices(service);
      Endpoints endpoints = snapshot.endpoints(service);
      Entry kept = memo.entries.get(key);
      if (kept != null && kept.madeFrom(object, slices, endpoints)) {
        entry = kept;
        if (!kept.holds(object, slices, endpoints)) {
          // Other copies of the same versions (a relist): keep these, let the old ones go.
          entry = new Entry(object, slices, endpoints, kept.resolution());
          memo.put(key, entry);
        }
      } else {
        Resolution resolution = resolveUncached(key);
        if (kept != null && kept.resolution().equals(resolution)) {
          // New objects, same outcome (a resync, a change elsewhere in a slice): keep the old
          // resolution, so the Ingresses that use it stay as they are.
          resolution = kept.resolution();
        }
        entry = new Entry(object, slices, endpoints, resolution);
        memo.put(key, entry);
      }
      resolved.put(key, entry);
    }
    return entry.resolution();
  }

  private Resolution resolveUncached(Key key) {
    ObjectKey serviceKey = key.service();
    Service service = snapshot.service(serviceKey);
    if (service == null || service.getSpec() == null) {
      return problem(key, "ServiceNotFound", "Service " + serviceKey + " not found");
    }
    List<ServicePort> ports =
        service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
    ServicePort servicePort = findPort(ports, key.port());
    boolean externalName = "ExternalName".equals(service.getSpec().getType());
    if (servicePort == null && !(externalName && isNumber(key.port()))) {
      return problem(
          key,
          "ServicePortNotFound",
          "Service " + serviceKey + " has no port " + (key.port() == null ? "at all" : key.port()));
    }
    BackendId id =
        new BackendId(serviceKey.namespace(), serviceKey.name(), portText(key, servicePort));
    if (externalName) {
      if (!allowExternalNames) {
        return problem(
            key,
            "ExternalNameDisabled",
            "Service "
                + serviceKey
                + " is an ExternalName Service, which --allow-external-name-services=false turns"
                + " off");
      }
      return externalName(key, id, service, servicePort);
    }
    if (key.clusterIp()) {
      String address = service.getSpec().getClusterIP();
      if (hasClusterIp(service)) {
        Endpoint endpoint =
            Endpoint.of(address, requireNonNull(servicePort, "servicePort").getPort());
        return new Resolution(Backend.of(id, List.of(endpoint)), null, null);
      }
    }
    return endpoints(key, id, requireNonNull(servicePort, "servicePort"));
  }

  /** Whether a Service has a ClusterIP to send to: set, and not {@code None} (headless). */
  static boolean hasClusterIp(Service service) {
    String address = service.getSpec() == null ? null : service.getSpec().getClusterIP();
    return address != null && !address.isEmpty() && !address.equals("None");
  }

  private Resolution externalName(
      Key key, BackendId id, Service service, @Nullable ServicePort port) {
    String host = service.getSpec().getExternalName();
    if (host == null || host.isEmpty()) {
      return problem(
          key, "InvalidExternalName", "Service " + key.service() + " has no externalName");
    }
    String lower = host.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".")) {
      lower = lower.substring(0, lower.length() - 1);
    }
    // The names that plainly reach Portico itself, told at once; the proxy checks every name again
    // where it resolves (UpstreamAddressGuard), which no spelling escapes.
    if (lower.equals("localhost") || lower.startsWith("127.") || lower.equals("::1")) {
      return problem(
          key,
          "InvalidExternalName",
          "Service "
              + key.service()
              + " points at the loopback name "
              + host
              + ", which would reach Portico itself; refused");
    }
    int portNumber = port != null ? port.getPort() : Integer.parseInt(key.port());
    Endpoint endpoint = Endpoint.externalName(lower, portNumber);
    return new Resolution(Backend.of(id, List.of(endpoint)), null, null);
  }

  private Resolution endpoints(Key key, BackendId id, ServicePort servicePort) {
    String portName = servicePort.getName() == null ? "" : servicePort.getName();
    TreeSet<Endpoint> ready = new TreeSet<>();
    TreeSet<Endpoint> draining = new TreeSet<>();
    List<EndpointSlice> slices = snapshot.endpointSlices(key.service());
    Endpoints legacy = snapshot.endpoints(key.service());
    boolean portSeen;
    if (!slices.isEmpty()) {
      portSeen = fromSlices(slices, portName, ready, draining);
    } else if (legacy != null) {
      portSeen = fromEndpoints(legacy, portName, ready);
    } else {
      return noEndpoints(
          key, id, "Service " + key.service() + " has no EndpointSlices or Endpoints");
    }
    if (!portSeen) {
      return noEndpoints(
          key,
          id,
          "no endpoint of Service " + key.service() + " has a port named '" + portName + "'");
    }
    List<Endpoint> serving = new ArrayList<>(ready.isEmpty() ? draining : ready);
    List<Endpoint> drainingOnly = ready.isEmpty() ? List.of() : new ArrayList<>(draining);
    if (serving.isEmpty()) {
      return noEndpoints(key, id, "Service " + key.service() + " has no ready endpoints");
    }
    return new Resolution(new Backend(id, serving, drainingOnly), null, null);
  }

  /** Collects endpoints from slices; returns whether any slice had the port. */
  private static boolean fromSlices(
      List<EndpointSlice> slices,
      String portName,
      TreeSet<Endpoint> ready,
      TreeSet<Endpoint> draining) {
    boolean portSeen = false;
    for (EndpointSlice slice : slices) {
      Integer port = slicePort(slice, portName);
      if (port == null || slice.getEndpoints() == null) {
        continue;
      }
      portSeen = true;
      for (io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint : slice.getEndpoints()) {
        if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
          continue;
        }
        EndpointConditions conditions = endpoint.getConditions();
        boolean isReady = conditions == null || !Boolean.FALSE.equals(conditions.getReady());
        boolean isServing =
            conditions == null
                || (conditions.getServing() != null ? conditions.getServing() : isReady);
        boolean isTerminating =
            conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
        // The API says addresses are fungible and consumers may use only the first.
        String address = endpoint.getAddresses().get(0);
        Endpoint resolved =
            new Endpoint(address, port, identity(endpoint.getTargetRef(), address, port));
        if (isReady && !isTerminating) {
          ready.add(resolved);
        } else if (isServing) {
          draining.add(resolved);
        }
      }
    }
    return portSeen;
  }

  private static @Nullable Integer slicePort(EndpointSlice slice, String portName) {
    if (slice.getPorts() == null) {
      return null;
    }
    for (EndpointPort port : slice.getPorts()) {
      String name = port.getName() == null ? "" : port.getName();
      if (name.equals(portName) && port.getPort() != null) {
        return port.getPort();
      }
    }
    return null;
  }

  private static boolean fromEndpoints(
      Endpoints endpoints, String portName, TreeSet<Endpoint> ready) {
    boolean portSeen = false;
    if (endpoints.getSubsets() == null) {
      return false;
    }
    for (EndpointSubset subset : endpoints.getSubsets()) {
      Integer port = null;
      if (subset.getPorts() != null) {
        for (io.fabric8.kubernetes.api.model.EndpointPort candidate : subset.getPorts()) {
          String name = candidate.getName() == null ? "" : candidate.getName();
          if (name.equals(portName)) {
            port = candidate.getPort();
          }
        }
      }
      if (port == null) {
        continue;
      }
      portSeen = true;
      if (subset.getAddresses() != null) {
        for (EndpointAddress address : subset.getAddresses()) {
          ready.add(
              new Endpoint(
                  address.getIp(), port, identity(address.getTargetRef(), address.getIp(), port)));
        }
      }
    }
    return portSeen;
  }

  /** A Pod's UID when the endpoint names its Pod (it outlives IP reuse), else the address. */
  private static String identity(@Nullable ObjectReference target, String address, int port) {
    if (target != null && target.getUid() != null && !target.getUid().isEmpty()) {
      return target.getUid() + ":" + port;
    }
    return address + ":" + port;
  }

  private static @Nullable ServicePort findPort(List<ServicePort> ports, @Nullable String wanted) {
    if (wanted == null) {
      return ports.isEmpty() ? null : ports.get(0);
    }
    for (ServicePort port : ports) {
      if (isNumber(wanted)
          ? Objects.equals(port.getPort(), Integer.valueOf(wanted))
          : wanted.equals(port.getName())) {
        return port;
      }
    }
    return null;
  }

  private static String portText(Key key, @Nullable ServicePort port) {
    if (key.port() != null) {
      return key.port();
    }
    // Without a port in the key, the Service's first port was found, or resolving stopped before.
    requireNonNull(port, "port");
    return port.getName() != null && !port.getName().isEmpty()
        ? port.getName()
        : String.valueOf(port.getPort());
  }

  private static boolean isNumber(@Nullable String port) {
    if (port == null || port.isEmpty()) {
      return false;
    }
    for (int i = 0; i < port.length(); i++) {
      if (!Character.isDigit(port.charAt(i))) {
        return false;
      }
    }
    return port.length() <= 5;
  }

  private static Resolution problem(Key key, String reason, String message) {
    BackendId id =
        new BackendId(
            key.service().namespace(), key.service().name(), key.port() == null ? "" : key.port());
    return new Resolution(Backend.of(id, List.of()), reason, message);
  }

  private static Resolution noEndpoints(Key key, BackendId id, String message) {
    return new Resolution(Backend.of(id, List.of()), "NoEndpoints", message);
  }
}
