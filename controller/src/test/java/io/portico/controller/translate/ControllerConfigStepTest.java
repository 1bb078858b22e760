package io.portico.controller.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.portico.controller.config.ConfigKeys;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.source.ManifestParser;
import io.portico.router.route.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code controller-config} step: the ConfigMap read first, every Ingress read again when the
 * config in force changes (and only then), keys that apply at start held to their first value.
 */
class ControllerConfigStepTest {

  private static final ObjectKey CONFIG_MAP = new ObjectKey("portico", "portico-config");

  private static final String INGRESSES =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: app-svc, namespace: default}
      spec: {ports: [{port: 80}]}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: a, namespace: default}
      spec:
        ingressClassName: portico
        tls: [{hosts: [a.test]}]
        rules:
        - host: a.test
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app-svc, port: {number: 80}}}}]}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: b, namespace: default}
      spec:
        ingressClassName: portico
        rules:
        - host: b.test
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app-svc, port: {number: 80}}}}]}
      """;

  private final Translator translator =
      new Translator(
          TranslatorSettings.defaults().withConfigMap(CONFIG_MAP), TranslatorFixtureTest.FIXED);
  private final ClusterSnapshot.Builder objects = ClusterSnapshot.builder();
  private HasMetadata configMap;

  ControllerConfigStepTest() throws Exception {
    new ManifestParser().parse("ingresses", INGRESSES).forEach(objects::add);
  }

  /** Replaces the ConfigMap with one holding {@code data} (YAML flow mapping). */
  private Translation translateWith(String data) throws Exception {
    if (configMap != null) {
      objects.remove(configMap);
    }
    configMap =
        new ManifestParser()
            .parse(
                "configmap",
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: portico-config, namespace: portico}
                data: %s
                """
                    .formatted(data))
            .get(0);
    objects.add(configMap);
    return translator.translate(objects.build());
  }

  private static Route route(Translation translation, String host) {
    return translation.routes().routes().stream()
        .filter(r -> r.host().value().equals(host))
        .findFirst()
        .orElseThrow();
  }

  private static List<Finding> configFindings(Translation translation) {
    return translation.findings().stream()
        .filter(f -> f.subject().kind().equals("ConfigMap"))
        .toList();
  }

  @Test
  void aChangedValueReadsEveryIngressAgain() throws Exception {
    Translation first = translateWith("{hsts-max-age: '600'}");
    assertEquals(
        "max-age=600; includeSubDomains",
        route(first, "a.test").https().strictTransportSecurityValue());

    Translation second = translateWith("{hsts-max-age: '60'}");
    assertEquals(
        "max-age=60; includeSubDomains",
        route(second, "a.test").https().strictTransportSecurityValue());
    assertNotSame(route(first, "b.test"), route(second, "b.test"), "b.test was read again too");
    assertEquals(60, second.config().get(ConfigKeys.HSTS_MAX_AGE));
  }

  @Test
  void aNewVersionWithTheSameValuesReadsNoIngressAgain() throws Exception {
    Translation first = translateWith("{hsts-max-age: '600'}");
    Translation second = translateWith("{hsts-max-age: ' 600 ', worker-processes: '4'}");
    assertSame(route(first, "a.test"), route(second, "a.test"));
    assertSame(route(first, "b.test"), route(second, "b.test"));
    assertTrue(
        second.findings().stream().anyMatch(f -> f.reason().equals("UnknownConfigKey")),
        second.findings().toString());
  }

  @Test
  void theProxyProtocolWithoutATrustedBalancerIsAWarning() throws Exception {
    Translation untrusted = translateWith("{use-proxy-protocol: 'true'}");
    List<Finding> findings = configFindings(untrusted);
    assertTrue(
        findings.stream()
            .anyMatch(
                f ->
                    f.reason().equals("ProxyProtocolUntrusted")
                        && f.severity() == Finding.Severity.WARNING
                        && f.message().contains("proxy-real-ip-cidr")),
        findings.toString());
  }

  @Test
  void theProxyProtocolWithATrustedBalancerIsNoWarning() throws Exception {
    Translation trusted =
        translateWith("{use-proxy-protocol: 'true', proxy-real-ip-cidr: '10.0.0.0/8'}");
    assertTrue(
        configFindings(trusted).stream()
            .noneMatch(f -> f.reason().equals("ProxyProtocolUntrusted")),
        configFindings(trusted).toString());
    assertTrue(trusted.config().get(ConfigKeys.USE_PROXY_PROTOCOL));
  }

  @Test
  void keysThatApplyAtStartKeepTheValueOfTheFirstTranslation() throws Exception {
    Translation first = translateWith("{use-forwarded-headers: 'false'}");
    assertFalse(first.config().get(ConfigKeys.USE_FORWARDED_HEADERS));
    assertEquals(List.of(), configFindings(first));

    Translation second = translateWith("{use-forwarded-headers: 'true', hsts-max-age: '60'}");
    assertFalse(second.config().get(ConfigKeys.USE_FORWARDED_HEADERS));
    assertEquals(60, second.config().get(ConfigKeys.HSTS_MAX_AGE), "live keys change at once");
    assertEquals(
        List.of(
            new Finding(
                Finding.Severity.NOTICE,
                new ObjectRef("ConfigMap", CONFIG_MAP),
                "ConfigRestartNeeded",
                "use-forwarded-headers: changed to \"true\"; \"false\", read at start, stays in"
                    + " force until Portico restarts")),
        configFindings(second));

    // A restart reads the ConfigMap as it is.
    Translation restarted =
        new Translator(
                TranslatorSettings.defaults().withConfigMap(CONFIG_MAP),
                TranslatorFixtureTest.FIXED)
            .translate(objects.build());
    assertTrue(restarted.config().get(ConfigKeys.USE_FORWARDED_HEADERS));
  }

  @Test
  void whenTheConfigMapGoesTheDefaultsApplyAndEveryIngressIsReadAgain() throws Exception {
    Translation first = translateWith("{ssl-redirect: 'false'}");
    assertFalse(route(first, "a.test").https().redirect());
    objects.remove(configMap);
    Translation second = translator.translate(objects.build());
    assertTrue(route(second, "a.test").https().redirect());
    assertEquals(
        List.of("ConfigMapNotFound"),
        configFindings(second).stream().map(Finding::reason).toList());
  }
}
