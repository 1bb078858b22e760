package io.portico.controller.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.source.ManifestParser;
import io.portico.controller.translate.FailingStep;
import io.portico.controller.translate.TlsInputs;
import io.portico.controller.translate.Translator;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.LiveConfig;
import io.portico.router.RoutingConfig;
import io.portico.router.balance.AffinityKey;
import io.portico.router.testing.Await;
import io.portico.tls.CertificateSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SyncLoopTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static ClusterSnapshot snapshot(String host) throws Exception {
    return ClusterSnapshot.of(
        new ManifestParser()
            .parse(
                "test.yaml",
                """
                apiVersion: v1
                kind: Service
                metadata: {name: app-svc, namespace: default}
                spec: {ports: [{name: http, port: 80}]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: app, namespace: default}
                spec:
                  ingressClassName: portico
                  rules: [{host: %s, http: {paths: [{path: /, pathType: Prefix,
                    backend: {service: {name: app-svc, port: {name: http}}}}]}}]
                """
                    .formatted(host)));
  }

  @Test
  void aFailedTranslationKeepsTheLastGoodConfigurationServing() throws Exception {
    FailingStep failing = new FailingStep();
    TlsInputs tls = TlsInputs.generated(Instant.now());
    Translator translator =
        new Translator(
            TranslatorSettings.defaults(),
            Clock.systemUTC(),
            AffinityKey.builtIn(),
            tls,
            FailingStep.after("ingress-rules", failing));
    LiveConfig live = new LiveConfig(CertificateSet.of(tls.generatedDefault()));
    AtomicReference<ClusterSnapshot> state = new AtomicReference<>(snapshot("one.test"));
    try (SyncLoop sync =
        new SyncLoop(
            state::get,
            translator,
            new ConfigPublisher(live),
            Duration.ZERO,
            Duration.ofMillis(200))) {
      sync.start();
      Await.until("the first configuration", WAIT, () -> live.current().generation() == 1);
      RoutingConfig good = live.current();

      failing.armOnce();
      state.set(snapshot("two.test"));
      sync.changedSettled("a change whose translation fails");
      Await.until("the failed translation", WAIT, () -> failing.failures() == 1);
      assertSame(good, live.current(), "the last good configuration keeps serving");

      sync.changedSettled("the same change again");
      Await.until("the next configuration", WAIT, () -> live.current().generation() == 2);
      String expected =
          new Translator(TranslatorSettings.defaults(), Clock.systemUTC())
              .translate(state.get())
              .routes()
              .dump();
      assertEquals(expected, live.current().routes().dump());
      assertTrue(expected.contains("two.test"), expected);
    }
  }
}
