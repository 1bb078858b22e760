package io.portico.controller.testing;

import io.portico.tls.Pem;
import io.portico.tls.TlsKeyPair;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Small manifests for tests: Ingresses, selector-less Services with loopback slices, TLS Secrets,
 * and a Gateway for routes to attach to.
 */
public final class Manifests {

  private Manifests() {}

  /**
   * An Ingress in namespace default of one host, Prefix {@code /} to Service {@code app-svc}, with
   * {@code annotations}, each a whole YAML line such as {@code nginx.ingress.kubernetes.io/x: "1"}.
   */
  public static String annotatedIngress(String name, String host, String... annotations) {
    StringBuilder lines = new StringBuilder();
    for (String annotation : annotations) {
      lines.append("    ").append(annotation).append('\n');
    }
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: default
          annotations:
        %s\
        spec:
          ingressClassName: portico
          rules:
          - host: %s
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: app-svc, port: {number: 80}}}}
        """
        .formatted(name, lines.length() == 0 ? "    {}\n" : lines, host);
  }

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

  /**
   * GatewayClass {@code portico} (Portico's controller name) and Gateway {@code default/web} on it,
   * with one HTTP listener on port 80, ending with a document separator so that routes can follow.
   */
  public static String webGateway() {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: portico}
        spec: {controllerName: portico.io/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: web, namespace: default}
        spec:
          gatewayClassName: portico
          listeners: [{name: http, port: 80, protocol: HTTP}]
        ---
        """;
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

  /** An Ingress with one Prefix rule per host, each host in {@code spec.tls} with its Secret. */
  public static String tlsIngress(String name, String service, String... hostSecretPairs) {
    StringBuilder tls = new StringBuilder();
    StringBuilder rules = new StringBuilder();
    for (int i = 0; i < hostSecretPairs.length; i += 2) {
      tls.append(
          "  - {hosts: [%s], secretName: %s}\n"
              .formatted(hostSecretPairs[i], hostSecretPairs[i + 1]));
      rules.append(
          """
            - host: %s
              http:
                paths:
                - {path: /, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
          """
              .formatted(hostSecretPairs[i], service));
    }
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: %s, namespace: default}
        spec:
          ingressClassName: portico
          tls:
        %s  rules:
        %s"""
        .formatted(name, tls, rules);
  }

  /** A {@code kubernetes.io/tls} Secret holding {@code pair}, base64 in {@code data}. */
  public static String tlsSecret(String name, TlsKeyPair pair) {
    return tlsSecret(name, Pem.certificates(pair.chain()), Pem.privateKey(pair.privateKey()));
  }

  /** A {@code kubernetes.io/tls} Secret holding the given text, base64 in {@code data}. */
  public static String tlsSecret(String name, String certificatePem, String privateKeyPem) {
    Base64.Encoder base64 = Base64.getEncoder();
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: default}
        type: kubernetes.io/tls
        data:
          tls.crt: %s
          tls.key: %s
        """
        .formatted(
            name,
            base64.encodeToString(certificatePem.getBytes(StandardCharsets.UTF_8)),
            base64.encodeToString(privateKeyPem.getBytes(StandardCharsets.UTF_8)));
  }
}
