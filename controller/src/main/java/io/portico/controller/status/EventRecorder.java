package io.portico.controller.status;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.translate.Finding;
import io.portico.controller.translate.Translation;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns findings into Kubernetes Events on the Ingress they are about: a Warning when a warning
 * appears and a Normal event when a notice does (not again while it persists; again if it goes away
 * and comes back), and a Normal {@code Configured} event when an Ingress is first served (a refused
 * Ingress is not served). An event not written because the Lease was not held, or because of a
 * failure another try may cure, is not counted as written: a later pass writes it.
 */
final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final String instance;
  private final Clock clock;
  private Set<Finding> announced = new HashSet<>();
  private final Set<String> configured = new HashSet<>();

  EventRecorder(KubernetesClient client, String instance, Clock clock) {
    this.client = client;
    this.instance = instance;
    this.clock = clock;
  }

  /**
   * Records what is new in this translation.
   *
   * @param pass asked right before each write; once it says no, nothing more is written
   */
  void record(Translation translation, Map<ObjectKey, Ingress> ingresses, WritePass pass) {
    boolean writing = true;
    Set<Finding> current = new HashSet<>();
    for (Finding finding : translation.findings()) {
      if (!finding.subject().kind().equals("Ingress")) {
        continue;
      }
      Ingress ingress = ingresses.get(finding.subject().key());
      if (!announced.contains(finding) && ingress != null) {
        writing = writing && pass.mayWrite();
        String type = finding.severity() == Finding.Severity.WARNING ? "Warning" : "Normal";
        if (!writing || !emit(ingress, type, finding.reason(), finding.message(), pass)) {
          // Not announced: the next pass tries again.
          continue;
        }
      }
      current.add(finding);
    }
    announced = current;
    for (ObjectKey key : translation.servedIngresses()) {
      Ingress ingress = ingresses.get(key);
      if (ingress == null) {
        continue;
      }
      String identity = key + "@" + ingress.getMetadata().getUid();
      if (!configured.contains(identity)) {
        writing = writing && pass.mayWrite();
        if (!writing) {
          break;
        }
        if (emit(
            ingress, "Normal", "Configured", "Ingress " + key + " is served by Portico", pass)) {
          configured.add(identity);
        }
      }
    }
  }

  /**
   * @return whether the event is settled: written, or failed in a way another try would not cure
   */
  private boolean emit(
      Ingress ingress, String type, String reason, String message, WritePass pass) {
    ObjectKey key = ObjectKey.of(ingress);
    String now =
        DateTimeFormatter.ISO_INSTANT.format(
            clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(key.namespace())
            .withName(
                key.name()
                    + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion("networking.k8s.io/v1")
                    .withKind("Ingress")
                    .withNamespace(key.namespace())
                    .withName(key.name())
                    .withUid(ingress.getMetadata().getUid())
                    .withResourceVersion(ingress.getMetadata().getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(
                message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message)
            .withNewSource()
            .withComponent("portico")
            .endSource()
            .withReportingComponent("portico.io/ingress-controller")
            .withReportingInstance(instance)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(key.namespace()).resource(event).create();
      return true;
    } catch (KubernetesClientException e) {
      boolean retry = pass.failed(e);
      LOG.warn(
          "event=event_write_failed namespace={} name={} reason={} code={} retry={} error=\"{}\"",
          key.namespace(),
          key.name(),
          reason,
          e.getCode(),
          retry,
          e.getMessage());
      return !retry;
    }
  }
}
