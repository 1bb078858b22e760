package io.portico.controller.status;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.portico.controller.snapshot.ObjectKey;
import java.net.HttpURLConnection;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code status.loadBalancer.ingress} on the Ingresses Portico owns, and removes its
 * addresses from Ingresses that stopped being Portico's. Writes only what differs. A write that
 * lost a race with another writer (409) is retried by the next reconcile, which the informer's
 * update of that Ingress triggers, on the version the other writer left. One that may succeed on
 * another try asks the {@link WritePass} for another pass.
 */
final class StatusWriter {

  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

  private final KubernetesClient client;

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @param ingresses every Ingress in the watched namespaces, as last seen
   * @param owned the keys of Portico's Ingresses
   * @param addresses what to publish; empty publishes nothing (and removes nothing)
   * @param pass asked right before each write; once it says no, the rest is left unwritten
   * @return the number of Ingresses written
   */
  int reconcile(
      Collection<Ingress> ingresses,
      Set<ObjectKey> owned,
      List<IngressLoadBalancerIngress> addresses,
      WritePass pass) {
    Set<String> desired = PublishedAddresses.key(addresses);
    int written = 0;
    for (Ingress ingress : ingresses) {
      ObjectKey key = ObjectKey.of(ingress);
      Set<String> current = PublishedAddresses.key(currentAddresses(ingress));
      List<IngressLoadBalancerIngress> want;
      if (owned.contains(key)) {
        want = addresses;
      } else if (!desired.isEmpty() && current.equals(desired)) {
        want = List.of();
      } else {
        continue;
      }
      if (current.equals(PublishedAddresses.key(want))
          || (owned.contains(key) && desired.isEmpty())) {
        continue;
      }
      if (!pass.mayWrite()) {
        break;
      }
      if (write(ingress, want, pass)) {
        written++;
      }
    }
    return written;
  }

  private boolean write(Ingress ingress, List<IngressLoadBalancerIngress> want, WritePass pass) {
    ObjectKey key = ObjectKey.of(ingress);
    Ingress updated =
        new IngressBuilder(ingress)
            .withNewStatus()
            .withNewLoadBalancer()
            .withIngress(want)
            .endLoadBalancer()
            .endStatus()
            .build();
    try {
      client
          .network()
          .v1()
          .ingresses()
          .inNamespace(key.namespace())
          .resource(updated)
          .updateStatus();
      LOG.info(
          "event=status_written namespace={} name={} addresses={}",
          key.namespace(),
          key.name(),
          PublishedAddresses.key(want));
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        // Someone changed the Ingress since the informer saw it. The informer will deliver that
        // change, and the reconcile it triggers writes again on the fresh version.
        LOG.debug("event=status_conflict namespace={} name={}", key.namespace(), key.name());
      } else if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        boolean retry = pass.failed(e);
        LOG.warn(
            "event=status_write_failed namespace={} name={} code={} retry={} error=\"{}\"",
            key.namespace(),
            key.name(),
            e.getCode(),
            retry,
            e.getMessage());
      }
      return false;
    }
  }

  private static List<IngressLoadBalancerIngress> currentAddresses(Ingress ingress) {
    if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null) {
      return List.of();
    }
    List<IngressLoadBalancerIngress> entries = ingress.getStatus().getLoadBalancer().getIngress();
    return entries == null ? List.of() : entries;
  }
}
