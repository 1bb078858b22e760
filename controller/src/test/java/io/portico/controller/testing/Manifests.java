package io.portico.controller.testing;

/** Small manifests for tests: Ingresses and selector-less Services with loopback slices. */
public final class Manifests {

  private Manifests() {}

  public static String ingress(String name, String host, String path, String service) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: %s, namespace: default}
        spec:
          ingressClassName: portico
          rules:
          - host: %s
            http:
              paths:
              - {path: %s, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
        """
        .formatted(name, host, path, service);
  }

  /** A selector-less Service on port 80 whose one EndpointSlice points at 127.0.0.1:port. */
  public static String service(String name, int... ports) {
    StringBuilder out =
        new StringBuilder(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: %s, namespace: default}
            spec: {ports: [{name: http, port: 80}]}
            """
                .formatted(name));
    for (int i = 0; i < ports.length; i++) {
      out.append(
          """
          ---
          apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata: {name: %s-%d, namespace: default, labels: {kubernetes.io/service-name: %s}}
          addressType: IPv4
          ports: [{name: http, port: %d}]
          endpoints: [{addresses: [127.0.0.1], conditions: {ready: true}}]
          """
              .formatted(name, i, name, ports[i]));
    }
    return out.toString();
  }
}
