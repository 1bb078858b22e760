package io.portico.controller.status;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The addresses Portico publishes in {@code status.loadBalancer.ingress}: from {@code
 * --publish-status-address}, or from the {@code --publish-service}'s load-balancer ingress, else
 * its external IPs, else its cluster IP (as ingress-nginx does).
 */
final class PublishedAddresses {

  private PublishedAddresses() {}

  static List<IngressLoadBalancerIngress> fromStatusAddresses(List<String> addresses) {
    List<IngressLoadBalancerIngress> out = new ArrayList<>();
    for (String address : addresses) {
      out.add(entry(address));
    }
    return out;
  }

  static List<IngressLoadBalancerIngress> fromService(@Nullable Service service) {
    if (service == null) {
      return List.of();
    }
    List<IngressLoadBalancerIngress> out = new ArrayList<>();
    if (service.getStatus() != null
        && service.getStatus().getLoadBalancer() != null
        && service.getStatus().getLoadBalancer().getIngress() != null) {
      for (LoadBalancerIngress lb : service.getStatus().getLoadBalancer().getIngress()) {
        IngressLoadBalancerIngressBuilder builder = new IngressLoadBalancerIngressBuilder();
        if (lb.getIp() != null) {
          builder.withIp(lb.getIp());
        }
        if (lb.getHostname() != null) {
          builder.withHostname(lb.getHostname());
        }
        out.add(builder.build());
      }
    }
    if (out.isEmpty() && service.getSpec() != null && service.getSpec().getExternalIPs() != null) {
      service.getSpec().getExternalIPs().forEach(ip -> out.add(entry(ip)));
    }
    if (out.isEmpty() && service.getSpec() != null) {
      String clusterIp = service.getSpec().getClusterIP();
      if (clusterIp != null && !clusterIp.isEmpty() && !"None".equals(clusterIp)) {
        out.add(entry(clusterIp));
      }
    }
    return out;
  }

  /** An IP address as {@code ip}, anything else as {@code hostname}. */
  static IngressLoadBalancerIngress entry(String address) {
    boolean ip = address.matches("[0-9.]+") || address.contains(":");
    IngressLoadBalancerIngressBuilder builder = new IngressLoadBalancerIngressBuilder();
    return ip ? builder.withIp(address).build() : builder.withHostname(address).build();
  }

  /** The addresses as comparable text, ignoring order and ports. */
  static Set<String> key(List<IngressLoadBalancerIngress> entries) {
    Set<String> out = new LinkedHashSet<>();
    if (entries != null) {
      entries.stream()
          .map(
              e ->
                  (e.getIp() == null ? "" : e.getIp())
                      + "|"
                      + (e.getHostname() == null ? "" : e.getHostname()))
          .sorted()
          .forEach(out::add);
    }
    return out;
  }
}
