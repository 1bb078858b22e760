package io.portico.controller.gateway.conformance;

import io.portico.router.testing.TestVertx;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The echo pods of the conformance suite's base manifests, each a local {@link EchoBasic}, and the
 * Services that lead to them: selector-less, port 8080 ({@code first-port}), with one EndpointSlice
 * per pod pointing at its loopback port, as the endpoint controller would make them. Pod names have
 * the shape of a Deployment's, {@code infra-backend-v1-xxxxx-yyyyy}, which the weight tests rely
 * on.
 */
final class Backends implements AutoCloseable {

  static final String INFRA = "gateway-conformance-infra";
  static final String APP = "gateway-conformance-app-backend";
  static final String WEB = "gateway-conformance-web-backend";

  private record Service(String namespace, String name, int pods) {}

  private static final List<Service> SERVICES =
      List.of(
          new Service(INFRA, "infra-backend-v1", 2),
          new Service(INFRA, "infra-backend-v2", 2),
          new Service(INFRA, "infra-backend-v3", 1),
          new Service(APP, "app-backend-v1", 2),
          new Service(APP, "app-backend-v2", 2),
          new Service(WEB, "web-backend", 2));

  private final Map<String, List<EchoBasic>> pods = new LinkedHashMap<>();

  private Backends() {}

  static Backends start(Vertx vertx) throws Exception {
    Backends backends = new Backends();
    for (Service service : SERVICES) {
      List<EchoBasic> started = new ArrayList<>();
      for (int i = 0; i < service.pods(); i++) {
        started.add(
            TestVertx.await(
                EchoBasic.start(
                    vertx, service.namespace(), service.name(), podName(service.name()))));
      }
      backends.pods.put(service.namespace() + "/" + service.name(), started);
    }
    return backends;
  }

  private static String podName(String service) {
    return service + "-" + random(5) + "-" + random(5);
  }

  private static String random(int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
    }
    return out.toString();
  }

  /** The pods of a Service of the base. */
  List<EchoBasic> pods(String namespace, String service) {
    return pods.get(namespace + "/" + service);
  }

  /** Every Service of the base with its EndpointSlices. */
  String manifests() {
    StringBuilder out = new StringBuilder();
    for (Service service : SERVICES) {
      out.append(
          service(
              service.namespace(),
              service.name(),
              false,
              pods(service.namespace(), service.name())));
    }
    return out.toString();
  }

  /**
   * A selector-less Service on port 8080 with one EndpointSlice per pod.
   *
   * @param headless whether it has no cluster IP
   */
  static String service(String namespace, String name, boolean headless, List<EchoBasic> pods) {
    StringBuilder out =
        new StringBuilder(
            """
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: %s, namespace: %s}
            spec:%s
              ports: [{name: first-port, protocol: TCP, port: 8080, targetPort: 3000}]
            """
                .formatted(name, namespace, headless ? "\n  clusterIP: None" : ""));
    for (int i = 0; i < pods.size(); i++) {
      out.append(
          """
          ---
          apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata: {name: %s-%d, namespace: %s, labels: {kubernetes.io/service-name: %s}}
          addressType: IPv4
          ports: [{name: first-port, protocol: TCP, port: %d}]
          endpoints:
          - addresses: [127.0.0.1]
            conditions: {ready: true, serving: true}
            targetRef: {kind: Pod, name: %s, namespace: %s}
          """
              .formatted(
                  name, i, namespace, name, pods.get(i).port(), pods.get(i).pod(), namespace));
    }
    return out.toString();
  }

  @Override
  public void close() {
    pods.values().forEach(list -> list.forEach(EchoBasic::close));
  }
}
