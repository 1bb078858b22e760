package io.portico.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.portico.controller.source.ManifestException;
import io.portico.controller.source.ManifestParser;
import java.util.List;

/**
 * The objects every benchmark loads, as manifest text: {@code n} "bulk" Ingresses, each with its
 * own Service and an EndpointSlice of four endpoints (so 5,000 Ingresses carry 20,000 endpoints),
 * plus the few objects the propagation benchmark changes or loads.
 *
 * <p>Bulk endpoints live on loopback addresses ({@code 127.16.0.0} and up) at port {@link
 * #BULK_PORT}, where nothing listens: only the readiness check sends them a request, which is
 * refused (502). The routes that carry traffic ({@code steady}, {@code probe}, {@code flip}) point
 * at real backends on {@code 127.0.0.1}.
 */
public final class Workload {

  /** Host of the route wrk loads while the others change. */
  public static final String STEADY_HOST = "steady.bench.test";

  /** Host whose Ingress gains a new path with every change. */
  public static final String PROBE_HOST = "probe.bench.test";

  /** Host whose only endpoint moves between the two backends with every change. */
  public static final String FLIP_HOST = "flip.bench.test";

  /** Host whose HTTPRoute gains a new path with every change (when HTTPRoutes are loaded). */
  public static final String PROBE_ROUTE_HOST = "probe-route.bench.test";

  /** Host whose certificate is rotated with every Secret change (when TLS is served). */
  public static final String TLS_HOST = "tls.bench.test";

  public static final int ENDPOINTS_PER_SERVICE = 4;

  /**
   * The port of every bulk endpoint: discard (9), where nothing listens. Any 127.x address reaches
   * a listener bound to 0.0.0.0 on this machine, so a common port like 8080 could reach somebody
   * else's server.
   */
  public static final int BULK_PORT = 9;

  private Workload() {}

  /** The host of bulk Ingress {@code i}. */
  public static String bulkHost(int i) {
    return "h" + i + ".bench.test";
  }

  /** {@code n} bulk Ingresses with their Services and EndpointSlices. */
  public static String bulk(int n) {
    StringBuilder out = new StringBuilder(n * 1400);
    for (int i = 0; i < n; i++) {
      String svc = "svc-" + i;
      out.append(service(svc));
      out.append(slice(svc, svc + "-0", bulkAddresses(i), BULK_PORT));
      out.append("---\n")
          .append("apiVersion: networking.k8s.io/v1\nkind: Ingress\n")
          .append("metadata:\n  name: ing-")
          .append(i)
          .append("\n  namespace: default\n")
          .append("spec:\n  ingressClassName: portico\n  rules:\n  - host: ")
          .append(bulkHost(i))
          .append("\n    http:\n      paths:\n")
          .append(path("/a", "Prefix", svc))
          .append(path("/b/c", "Exact", svc));
    }
    return out.toString();
  }

  /** The host of bulk HTTPRoute {@code i}. */
  public static String bulkRouteHost(int i) {
    return "r" + i + ".bench.test";
  }

  /**
   * The GatewayClass and Gateway every HTTPRoute attaches to: one HTTP listener on port 80, which
   * is Portico's HTTP listener, open to routes of every namespace.
   */
  public static String gateway() {
    return "---\napiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n"
        + "metadata:\n  name: portico\n"
        + "spec:\n  controllerName: portico.io/gateway-controller\n"
        + "---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
        + "metadata:\n  name: bench\n  namespace: default\n"
        + "spec:\n  gatewayClassName: portico\n  listeners:\n  - name: http\n"
        + "    protocol: HTTP\n    port: 80\n    allowedRoutes:\n      namespaces:\n"
        + "        from: All\n";
  }

  /**
   * {@code n} bulk HTTPRoutes shaped as the bulk Ingresses (a prefix and an exact path on a host of
   * their own), each with its own Service and EndpointSlice of four endpoints, on addresses after
   * those of the bulk Ingresses.
   */
  public static String bulkRoutes(int n) {
    StringBuilder out = new StringBuilder(n * 1400);
    for (int i = 0; i < n; i++) {
      String svc = "rsvc-" + i;
      out.append(service(svc));
      out.append(slice(svc, svc + "-0", bulkAddresses(ROUTE_ADDRESS_OFFSET + i), BULK_PORT));
      out.append(
          httpRoute(
              "route-" + i,
              bulkRouteHost(i),
              routeRule("PathPrefix", "/a", svc) + routeRule("Exact", "/b/c", svc)));
    }
    return out.toString();
  }

  /** The HTTPRoute that changes: {@code probe-route.bench.test} with the single path /chg-N. */
  public static String probeRoute(int change) {
    return httpRoute(
        "probe-route", PROBE_ROUTE_HOST, routeRule("PathPrefix", probePath(change), "steady-svc"));
  }

  /** Bulk HTTPRoutes take endpoint addresses from this index on, past 10,000 bulk Ingresses. */
  private static final int ROUTE_ADDRESS_OFFSET = 10_000;

  private static String httpRoute(String name, String host, String rules) {
    return "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
        + "metadata:\n  name: "
        + name
        + "\n  namespace: default\n"
        + "spec:\n  parentRefs:\n  - name: bench\n  hostnames: ["
        + host
        + "]\n  rules:\n"
        + rules;
  }

  private static String routeRule(String type, String path, String service) {
    return "  - matches:\n    - path: {type: "
        + type
        + ", value: "
        + path
        + "}\n    backendRefs:\n    - name: "
        + service
        + "\n      port: 80\n";
  }

  private static String[] bulkAddresses(int i) {
    String[] addresses = new String[ENDPOINTS_PER_SERVICE];
    for (int k = 0; k < ENDPOINTS_PER_SERVICE; k++) {
      int n = i * ENDPOINTS_PER_SERVICE + k;
      addresses[k] = "127." + (16 + n / 65536) + "." + (n / 256 % 256) + "." + (n % 256);
    }
    return addresses;
  }

  /** The route under steady load: {@code steady.bench.test/} to the first backend. */
  public static String steady(int backendPort) {
    return service("steady-svc")
        + slice("steady-svc", "steady-svc-0", new String[] {"127.0.0.1"}, backendPort)
        + ingress("steady", STEADY_HOST, path("/", "Prefix", "steady-svc"));
  }

  /** The Ingress that changes: {@code probe.bench.test} with the single path {@code /chg-N}. */
  public static String probe(int change) {
    return ingress("probe", PROBE_HOST, path(probePath(change), "Prefix", "steady-svc"));
  }

  public static String probePath(int change) {
    return "/chg-" + change;
  }

  /**
   * The Service and Ingress of {@code flip.bench.test}; its endpoints come from {@link #flipSlice}.
   */
  public static String flip() {
    return service("flip-svc") + ingress("flip", FLIP_HOST, path("/", "Prefix", "flip-svc"));
  }

  /** The EndpointSlice that changes: the flip Service's one endpoint, on {@code backendPort}. */
  public static String flipSlice(int backendPort) {
    return slice("flip-svc", "flip-svc-0", new String[] {"127.0.0.1"}, backendPort);
  }

  /** The Ingress for {@code tls.bench.test} with TLS from Secret {@code tls-probe}. */
  public static String tlsIngress() {
    return "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
        + "metadata:\n  name: tls-probe\n  namespace: default\n"
        + "spec:\n  ingressClassName: portico\n  tls:\n  - hosts: ["
        + TLS_HOST
        + "]\n    secretName: tls-probe\n  rules:\n  - host: "
        + TLS_HOST
        + "\n    http:\n      paths:\n"
        + path("/", "Prefix", "steady-svc");
  }

  /** The Secret that changes, from base64 PEM text. */
  public static String tlsSecret(String certBase64, String keyBase64) {
    return "---\napiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\n"
        + "metadata:\n  name: tls-probe\n  namespace: default\n"
        + "data:\n  tls.crt: "
        + certBase64
        + "\n  tls.key: "
        + keyBase64
        + "\n";
  }

  /** Parses manifest text into objects, for the translator and the mock API server. */
  public static List<HasMetadata> objects(String manifests) {
    try {
      return new ManifestParser().parse("workload", manifests);
    } catch (ManifestException e) {
      throw new IllegalStateException("generated manifests do not parse: " + e.getMessage(), e);
    }
  }

  private static String service(String name) {
    return "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: "
        + name
        + "\n  namespace: default\nspec:\n  ports:\n  - name: http\n    port: 80\n"
        + "    targetPort: 8080\n";
  }

  private static String slice(String service, String name, String[] addresses, int port) {
    StringBuilder out =
        new StringBuilder("---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n")
            .append("metadata:\n  name: ")
            .append(name)
            .append("\n  namespace: default\n  labels:\n    kubernetes.io/service-name: ")
            .append(service)
            .append("\naddressType: IPv4\nports:\n- name: http\n  port: ")
            .append(port)
            .append("\n  protocol: TCP\nendpoints:\n");
    for (String address : addresses) {
      out.append("- addresses: [\"")
          .append(address)
          .append("\"]\n  conditions:\n    ready: true\n");
    }
    return out.toString();
  }

  private static String ingress(String name, String host, String paths) {
    return "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
        + "metadata:\n  name: "
        + name
        + "\n  namespace: default\n"
        + "spec:\n  ingressClassName: portico\n  rules:\n  - host: "
        + host
        + "\n    http:\n      paths:\n"
        + paths;
  }

  private static String path(String path, String type, String service) {
    return "      - path: "
        + path
        + "\n        pathType: "
        + type
        + "\n        backend:\n          service:\n            name: "
        + service
        + "\n            port:\n              name: http\n";
  }
}
