package io.portico.controller.status;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.portico.controller.translate.ObjectKey;
import java.net.HttpURLConnection;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code status.loadBalancer.ingress} on the Ingresses Portico owns, and removes its
 * addresses from Ingresses that stopped being Portico's. Writes only what differs, and retries a
 * write that lost a race with another writer (409) on a fresh copy.
 */
final class StatusWriter {

  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  private static final int ATTEMPTS = 3;

  private final KubernetesClient client;

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @param ingresses every Ingress in the watched namespaces, as last seen
   * @param owned the keys of Portico's Ingresses
   * @param addresses what to publish; empty publishes nothing (and removes nothing)
   * @return the number of Ingresses written
   */
  int reconcile(
      Collection<Ingress> ingresses,
      Set<ObjectKey> owned,
      List<IngressLoadBalancerIngress> addresses) {
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
      if (write(ingress, want)) {
        written++;
      }
    }
    return written;
  }

  private boolean write(Ingress ingress, List<IngressLoadBalancerIngress> want) {
    ObjectKey key = ObjectKey.of(ingress);
    Ingress latest = ingress;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Ingress updated =
          new IngressBuilder(latest)
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
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return false;
        }
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
          LOG.warn(
              "event=status_write_failed namespace={} name={} code={} error=\"{}\"",
              key.namespace(),
              key.name(),
              e.getCode(),
              e.getMessage());
          return false;
        }
        latest =
            client
                .network()
                .v1()
                .ingresses()
                .inNamespace(key.namespace())
                .withName(key.name())
                .get();
        if (latest == null) {
          return false;
        }
      }
    }
    return false;
  }

  private static List<IngressLoadBalancerIngress> currentAddresses(Ingress ingress) {
    if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null) {
      return List.of();
    }
    List<IngressLoadBalancerIngress> entries = ingress.getStatus().getLoadBalancer().getIngress();
    return entries == null ? List.of() : entries;
  }
}
