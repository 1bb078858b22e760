package io.portico.controller.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.source.ManifestParser;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.Translation;
import io.portico.controller.translate.Translator;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.TlsKeyPair;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExplainerTest {

  private static final String OBJECTS =
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: app, namespace: default}
      spec:
        ingressClassName: portico
        defaultBackend: {service: {name: fallback, port: {number: 80}}}
        rules:
        - host: app.test
          http:
            paths:
            - {path: /app1, pathType: Prefix, backend: {service: {name: app1-svc, port: {number: 80}}}}
            - {path: /app1/exact, pathType: Exact, backend: {service: {name: app1-svc, port: {number: 80}}}}
            - {path: /app2, pathType: Prefix, backend: {service: {name: ghost, port: {number: 80}}}}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: plain, namespace: default}
      spec:
        ingressClassName: portico
        rules:
        - host: plain.test
          http:
            paths:
            - {path: /only, pathType: Prefix, backend: {service: {name: app1-svc, port: {number: 80}}}}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: app1-svc, namespace: default}
      spec: {ports: [{port: 80}]}
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata: {name: app1-1, namespace: default, labels: {kubernetes.io/service-name: app1-svc}}
      addressType: IPv4
      ports: [{port: 8080}]
      endpoints: [{addresses: [10.0.0.1]}, {addresses: [10.0.0.2], conditions: {ready: false, serving: true, terminating: true}}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: fallback, namespace: default}
      spec: {ports: [{port: 80}]}
      """;

  private Explainer explainer;

  @BeforeEach
  void translate() throws Exception {
    Translation translation =
        new Translator(TranslatorSettings.defaults(), Clock.systemUTC())
            .translate(ClusterSnapshot.of(new ManifestParser().parse("objects.yaml", OBJECTS)));
    explainer = new Explainer(translation.routes(), translation.findings());
  }

  @Test
  void aMatchNamesTheRuleTheBackendAndWhyTheOthersLost() {
    Explanation explanation = explainer.explain("https://app.test/app1/exact/more?x=1");
    assertTrue(explanation.matched());
    String text = explanation.text();
    assertTrue(text.contains("match     Prefix /app1 from Ingress default/app"), text);
    assertTrue(text.contains("endpoints 10.0.0.1:8080 (1 ready)"), text);
    assertTrue(text.contains("draining  10.0.0.2:8080"), text);
    assertTrue(
        text.contains(
            "Exact  /app1/exact  (Ingress default/app): Exact needs the whole path to be /app1/exact"),
        text);
    assertTrue(
        text.contains("Prefix /app2  (Ingress default/app): the path is not /app2 or below it"),
        text);
  }

  @Test
  void aStickyBackendShowsItsPolicy() throws Exception {
    String sticky =
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: sticky
          namespace: default
          annotations: {nginx.ingress.kubernetes.io/affinity: cookie, portico.io/affinity-mode: persistent}
        spec:
          ingressClassName: portico
          rules:
          - host: sticky.test
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: app1-svc, port: {number: 80}}}}
        """;
    Translation translation =
        new Translator(TranslatorSettings.defaults(), Clock.systemUTC())
            .translate(ClusterSnapshot.of(new ManifestParser().parse("sticky.yaml", sticky)));
    String text =
        new Explainer(translation.routes(), translation.findings())
            .explain("http://sticky.test/")
            .text();
    assertTrue(
        text.contains("policy    affinity=cookie(mode=persistent name=INGRESSCOOKIE)\n"), text);
    assertFalse(explainer.explain("https://app.test/app1").text().contains("policy"));
  }

  @Test
  void exactBeatsPrefixAndTheExplanationSaysSo() {
    String text = explainer.explain("http://app.test/app1/exact").text();
    assertTrue(text.contains("match     Exact /app1/exact"), text);
    assertTrue(
        text.contains("Prefix /app1  (Ingress default/app): matches too, but an Exact match"),
        text);
  }

  @Test
  void aNearMissExplainsWholeSegmentMatchingAndTheDefaultBackend() {
    Explanation explanation = explainer.explain("app.test/app1x");
    assertTrue(explanation.matched(), "the Ingress's default backend answers");
    String text = explanation.text();
    assertTrue(
        text.contains(
            "no path matched; the default backend answers (spec.defaultBackend of Ingress default/app)"),
        text);
    assertTrue(
        text.contains("Prefix matches whole segments: /app1x is not /app1 or below it"), text);
    assertTrue(text.contains("endpoints none: the request gets 503"), text);
  }

  @Test
  void warningsAboutTheObjectsInvolvedAreShown() {
    String text = explainer.explain("http://app.test/app2").text();
    assertTrue(text.contains("ServiceNotFound: Service default/ghost not found"), text);
  }

  @Test
  void noMatchListsTheNearestCandidates() {
    Explanation explanation = explainer.explain("http://plain.test/on");
    assertFalse(explanation.matched());
    String text = explanation.text();
    assertTrue(text.startsWith("no rule matches http://plain.test/on\n"), text);
    assertTrue(
        text.contains("nearest candidates:\n  plain.test Prefix /only  (Ingress default/plain)"),
        text);
  }

  @Test
  void anUnknownHostGetsTheOldestIngressDefaultBackend() {
    String text = explainer.explain("http://plain.tst/only").text();
    assertTrue(text.contains("the rules without a host (no rule names this host)"), text);
    assertTrue(text.contains("spec.defaultBackend of Ingress default/app"), text);
  }

  @Test
  void anUnknownHostWithoutDefaultBackendListsTheNearestHosts() throws Exception {
    String plainOnly = OBJECTS.substring(OBJECTS.indexOf("kind: Ingress\nmetadata: {name: plain"));
    Translation translation =
        new Translator(TranslatorSettings.defaults(), Clock.systemUTC())
            .translate(
                ClusterSnapshot.of(
                    new ManifestParser()
                        .parse("plain.yaml", "apiVersion: networking.k8s.io/v1\n" + plainOnly)));
    Explanation explanation =
        new Explainer(translation.routes(), translation.findings())
            .explain("http://plain.tst/only");
    assertFalse(explanation.matched());
    assertTrue(
        explanation.text().contains("nearest hosts:\n  plain.test Prefix /only"),
        explanation.text());
  }

  @Test
  void anHttpsUrlNamesItsCertificateAndAPlainOneItsRedirect() throws Exception {
    TlsKeyPair pair =
        CertificateGenerator.selfSigned(
            CertificateGenerator.LeafRequest.builder()
                .commonName("secure.test")
                .dnsName("secure.test")
                .build(),
            Instant.now());
    String objects =
        Manifests.tlsIngress("secure", "app1-svc", "secure.test", "secure-tls")
            + "---\n"
            + Manifests.tlsSecret("secure-tls", pair)
            + "---\n"
            + Manifests.service("app1-svc", 8080);
    Translation translation =
        new Translator(TranslatorSettings.defaults(), Clock.systemUTC())
            .translate(ClusterSnapshot.of(new ManifestParser().parse("tls.yaml", objects)));
    Explainer tls = Explainer.of(translation);

    String secure = tls.explain("https://secure.test/x").text();
    assertTrue(
        secure.contains("tls       secure.test -> Secret default/secure-tls (CN=secure.test, not"),
        secure);
    assertTrue(secure.contains("hsts      responses carry Strict-Transport-Security"), secure);
    String plain = tls.explain("http://secure.test/x").text();
    assertTrue(
        plain.contains("redirect  plain HTTP is answered 308 with the same URL over https://"),
        plain);
    assertFalse(plain.contains("tls "), plain);
    String acme = tls.explain("http://secure.test/.well-known/acme-challenge/t").text();
    assertTrue(acme.contains("redirect  none for ACME HTTP-01 challenges"), acme);
    String unknown = tls.explain("https://unknown.test/").text();
    assertTrue(
        unknown.contains(
            "tls       no name matches: the default certificate, generated (CN=Portico Default"
                + " Certificate)"),
        unknown);
  }

  @Test
  void pathsAreNormalisedFirst() {
    String text = explainer.explain("http://plain.test/x/../only/a").text();
    assertTrue(text.contains("path      /only/a (normalised from /x/../only/a)"), text);
    assertThrows(
        IllegalArgumentException.class, () -> explainer.explain("http://plain.test/bad%zz"));
  }

  @Test
  void aTextWithoutAHostIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> explainer.explain("/just/a/path"));
  }

  @Test
  void hostSuggestionsUseEditDistance() {
    assertEquals(1, Explainer.distance("hello-john.test", "hello-jon.test"));
    assertEquals(0, Explainer.distance("A.test", "a.test"));
  }
}
