package io.portico.controller.chart;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json turns a mistake in the values into an error at install time. */
class ChartSchemaTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          replicaCount: 2                                       | additional properties 'replicaCount' not allowed
          controller: {replicas: 2}                             | at '/controller': additional properties 'replicas' not allowed
          controller: {extraEnv: []}                            | additional properties 'extraEnv' not allowed
          controller: {service: {nodePort: {http: 30080}}}     | at '/controller/service': additional properties 'nodePort' not allowed
          controller: {image: {registry: docker.io}}            | at '/controller/image': additional properties 'registry' not allowed
          controller: {replicaCount: two}                       | at '/controller/replicaCount': got string, want integer
          controller: {watchNamespaces: team-a}                 | at '/controller/watchNamespaces': got string, want array
          controller: {ingressClassResource: {default: always}} | at '/controller/ingressClassResource/default': got string, want boolean
          controller: {podAnnotations: {a: 1}}                  | at '/controller/podAnnotations/a': got number, want string
          controller: {service: {type: External}}               | at '/controller/service/type'
          controller: {endpointsApi: EndpointSlice}             | at '/controller/endpointsApi'
          controller: {defaultTLSSecret: wildcard-cert}         | at '/controller/defaultTLSSecret'
          controller: {shutdownDelay: 5}                        | at '/controller/shutdownDelay': got number, want string
          controller: {drainTimeout: 30 seconds}                | at '/controller/drainTimeout'
          controller: {containerPort: {http: 70000}}            | at '/controller/containerPort/http'
          controller: {extraArgs: {access-log: {format: json}}} | at '/controller/extraArgs/access-log': got object
          controller: {extraArgs: {--access-log: json}}         | '--access-log' does not match pattern
          controller: {config: {hsts: {enabled: true}}}         | at '/controller/config/hsts': got object
          controller: {config: [hsts]}                          | at '/controller/config': got array, want object
          controller: {gatewayApi: {listenerPorts: [8000]}}    | at '/controller/gatewayApi/listenerPorts/0'
          controller: {gatewayApi: {enabled: yes please}}       | at '/controller/gatewayApi/enabled': got string, want boolean
          rbac: {create: 1}                                     | at '/rbac/create': got number, want boolean
          """)
  void rejects(String values, String expectedMessage) {
    String error = HelmChart.renderError(values);
    assertTrue(error.contains("values don't meet the specifications of the schema"), error);
    assertTrue(error.contains(expectedMessage), error);
  }
}
