package io.portico.controller.gateway.conformance;

import io.portico.tls.CertificateGenerator;
import io.portico.tls.Pem;
import io.portico.tls.TlsKeyPair;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The conformance suite's base objects, written here after {@code conformance/base/manifests.yaml}:
 * Portico's GatewayClass, the three namespaces with their labels, the four base Gateways, the
 * Services of the echo pods, and the certificate of the HTTPS tests (self-signed, for {@code *.org}
 * and {@code *.wildcard.org}).
 */
final class Base {

  static final String CLASS = "portico";

  private Base() {}

  static final TlsKeyPair CERTIFICATE =
      CertificateGenerator.selfSigned(
          CertificateGenerator.LeafRequest.builder()
              .commonName("tls-validity-checks")
              .dnsName("*.org")
              .dnsName("*.wildcard.org")
              .build(),
          Instant.now());

  static String manifests(Backends backends) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: portico}
        spec: {controllerName: portico.io/gateway-controller}
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: gateway-conformance-infra
          labels: {gateway-conformance: infra, kubernetes.io/metadata.name: gateway-conformance-infra}
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: gateway-conformance-app-backend
          labels: {gateway-conformance: backend, kubernetes.io/metadata.name: gateway-conformance-app-backend}
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: gateway-conformance-web-backend
          labels: {gateway-conformance: backend, kubernetes.io/metadata.name: gateway-conformance-web-backend}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: same-namespace, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Same}}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: all-namespaces, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: backend-namespaces, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - name: http
            port: 80
            protocol: HTTP
            allowedRoutes:
              namespaces:
                from: Selector
                selector: {matchLabels: {gateway-conformance: backend}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: same-namespace-with-https-listener, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - name: https
            port: 443
            protocol: HTTPS
            allowedRoutes: {namespaces: {from: Same}}
            tls:
              certificateRefs:
              - {group: "", kind: Secret, name: tls-validity-checks-certificate, namespace: gateway-conformance-infra}
          - name: https-with-hostname
            port: 443
            hostname: second-example.org
            protocol: HTTPS
            allowedRoutes: {namespaces: {from: Same}}
            tls:
              certificateRefs:
              - {group: "", kind: Secret, name: tls-validity-checks-certificate, namespace: gateway-conformance-infra}
          - name: https-with-wildcard-hostname
            port: 443
            hostname: "*.wildcard.org"
            protocol: HTTPS
            allowedRoutes: {namespaces: {from: Same}}
            tls:
              certificateRefs:
              - {group: "", kind: Secret, name: tls-validity-checks-certificate, namespace: gateway-conformance-infra}
          - name: https-with-hostname-matching-wildcard
            port: 443
            hostname: fourth-example.wildcard.org
            protocol: HTTPS
            allowedRoutes: {namespaces: {from: Same}}
            tls:
              certificateRefs:
              - {group: "", kind: Secret, name: tls-validity-checks-certificate, namespace: gateway-conformance-infra}
        """
        + tlsSecret(Backends.INFRA, "tls-validity-checks-certificate", CERTIFICATE)
        + tlsSecret(Backends.WEB, "certificate", CERTIFICATE)
        + backends.manifests();
  }

  static String tlsSecret(String namespace, String name, TlsKeyPair pair) {
    return tlsSecret(
        namespace, name, Pem.certificates(pair.chain()), Pem.privateKey(pair.privateKey()));
  }

  static String tlsSecret(String namespace, String name, String certificate, String key) {
    Base64.Encoder base64 = Base64.getEncoder();
    return """
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: %s}
        type: kubernetes.io/tls
        data:
          tls.crt: %s
          tls.key: %s
        """
        .formatted(
            name,
            namespace,
            base64.encodeToString(certificate.getBytes(StandardCharsets.UTF_8)),
            base64.encodeToString(key.getBytes(StandardCharsets.UTF_8)));
  }
}
