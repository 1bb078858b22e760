package io.portico.controller.status;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.PolicyAncestorStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SupportedFeature;
import io.portico.controller.gateway.Condition;
import io.portico.controller.gateway.GatewayApiStatus;
import io.portico.controller.gateway.GatewayView;
import io.portico.controller.gateway.GroupKind;
import io.portico.controller.gateway.ParentRef;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Gateway API status Portico computes ({@link GatewayApiStatus}) as the objects of the API:
 * what the leader writes and what {@code GET /status} shows, from one place. A condition keeps the
 * {@code lastTransitionTime} it had when its status is the same as before, so an unchanged status
 * renders equal to what is written, and the writer can skip it.
 */
public final class GatewayStatusRenderer {

  private GatewayStatusRenderer() {}

  /**
   * A GatewayClass's status.
   *
   * @param before the status written before, or {@code null}
   * @param now the time of a transition
   */
  public static GatewayClassStatus gatewayClass(
      GatewayApiStatus.ClassStatus status, @Nullable GatewayClassStatus before, Instant now) {
    GatewayClassStatus out = new GatewayClassStatus();
    out.setConditions(
        conditions(status.conditions(), before == null ? null : before.getConditions(), now));
    List<SupportedFeature> features = new ArrayList<>();
    for (String name : status.supportedFeatures()) {
      SupportedFeature feature = new SupportedFeature();
      feature.setName(name);
      features.add(feature);
    }
    out.setSupportedFeatures(features);
    return out;
  }

  /**
   * A Gateway's status.
   *
   * @param addresses the addresses to publish; empty to publish those the translation chose
   * @param before the status written before, or {@code null}
   */
  public static io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus gateway(
      GatewayApiStatus.GatewayStatus status,
      List<GatewayView.Address> addresses,
      io.fabric8.kubernetes.api.model.gatewayapi.v1.@Nullable GatewayStatus before,
      Instant now) {
    io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus out =
        new io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus();
    List<GatewayStatusAddress> written = new ArrayList<>();
    for (GatewayView.Address address : addresses.isEmpty() ? status.addresses() : addresses) {
      GatewayStatusAddress entry = new GatewayStatusAddress();
      entry.setType(address.type());
      entry.setValue(address.value());
      written.add(entry);
    }
    out.setAddresses(written);
    out.setConditions(
        conditions(status.conditions(), before == null ? null : before.getConditions(), now));
    List<ListenerStatus> listeners = new ArrayList<>();
    for (GatewayApiStatus.ListenerStatus listener : status.listeners()) {
      @Nullable ListenerStatus previous = null;
      if (before != null && before.getListeners() != null) {
        for (ListenerStatus candidate : before.getListeners()) {
          if (listener.name().equals(candidate.getName())) {
            previous = candidate;
          }
        }
      }
      ListenerStatus entry = new ListenerStatus();
      entry.setName(listener.name());
      entry.setAttachedRoutes(listener.attachedRoutes());
      List<RouteGroupKind> kinds = new ArrayList<>();
      for (GroupKind kind : listener.supportedKinds()) {
        RouteGroupKind groupKind = new RouteGroupKind();
        groupKind.setGroup(kind.group());
        groupKind.setKind(kind.kind());
        kinds.add(groupKind);
      }
      entry.setSupportedKinds(kinds);
      entry.setConditions(
          conditions(
              listener.conditions(), previous == null ? null : previous.getConditions(), now));
      listeners.add(entry);
    }
    out.setListeners(listeners);
    return out;
  }

  /**
   * A route's {@code status.parents}: the entries of other controllers as they were, then Portico's
   * own, one per parentRef naming one of its Gateways, in parentRefs order.
   *
   * @param status Portico's view of the route; {@code null} when no parentRef names one of its
   *     Gateways any more (its entries go)
   * @param controllerName Portico's controller name
   * @param before the parents written before; may be empty
   */
  public static List<RouteParentStatus> routeParents(
      GatewayApiStatus.@Nullable RouteStatus status,
      String controllerName,
      List<RouteParentStatus> before,
      Instant now) {
    List<RouteParentStatus> out = new ArrayList<>();
    List<RouteParentStatus> ours = new ArrayList<>();
    for (RouteParentStatus parent : before) {
      if (controllerName.equals(parent.getControllerName())) {
        ours.add(parent);
      } else {
        out.add(parent);
      }
    }
    if (status == null) {
      return out;
    }
    for (GatewayApiStatus.ParentStatus parent : status.parents()) {
      ParentReference ref = parentReference(parent.parentRef());
      @Nullable RouteParentStatus previous = null;
      for (RouteParentStatus candidate : ours) {
        if (Objects.equals(ref, candidate.getParentRef())) {
          previous = candidate;
        }
      }
      RouteParentStatus entry = new RouteParentStatus();
      entry.setParentRef(ref);
      entry.setControllerName(parent.controllerName());
      entry.setConditions(
          conditions(parent.conditions(), previous == null ? null : previous.getConditions(), now));
      out.add(entry);
    }
    return out;
  }

  /**
   * A BackendTLSPolicy's {@code status.ancestors}: the entries of other controllers as they were,
   * then Portico's own, one per Gateway ({@code status} {@code null}: Portico has none any more).
   */
  public static List<PolicyAncestorStatus> policyAncestors(
      GatewayApiStatus.@Nullable PolicyStatus status,
      String controllerName,
      List<PolicyAncestorStatus> before,
      Instant now) {
    List<PolicyAncestorStatus> out = new ArrayList<>();
    List<PolicyAncestorStatus> ours = new ArrayList<>();
    for (PolicyAncestorStatus ancestor : before) {
      if (controllerName.equals(ancestor.getControllerName())) {
        ours.add(ancestor);
      } else {
        out.add(ancestor);
      }
    }
    if (status == null) {
      return out;
    }
    for (GatewayApiStatus.ParentStatus ancestor : status.ancestors()) {
      ParentReference ref = parentReference(ancestor.parentRef());
      @Nullable PolicyAncestorStatus previous = null;
      for (PolicyAncestorStatus candidate : ours) {
        if (Objects.equals(ref, candidate.getAncestorRef())) {
          previous = candidate;
        }
      }
      PolicyAncestorStatus entry = new PolicyAncestorStatus();
      entry.setAncestorRef(ref);
      entry.setControllerName(ancestor.controllerName());
      entry.setConditions(
          conditions(
              ancestor.conditions(), previous == null ? null : previous.getConditions(), now));
      out.add(entry);
    }
    return out;
  }

  /** The parentRef as route status echoes it: group, kind and namespace always written. */
  static ParentReference parentReference(ParentRef ref) {
    ParentReference out = new ParentReference();
    out.setGroup(ref.group());
    out.setKind(ref.kind());
    out.setNamespace(ref.namespace().orElse(null));
    out.setName(ref.name());
    out.setSectionName(ref.sectionName().orElse(null));
    out.setPort(ref.port().orElse(null));
    return out;
  }

  /** Conditions in the given order, each keeping its time of transition while its status stays. */
  static List<io.fabric8.kubernetes.api.model.Condition> conditions(
      List<Condition> conditions,
      @Nullable List<io.fabric8.kubernetes.api.model.Condition> before,
      Instant now) {
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<io.fabric8.kubernetes.api.model.Condition> out = new ArrayList<>();
    for (Condition condition : conditions) {
      String transition = time;
      if (before != null) {
        for (io.fabric8.kubernetes.api.model.Condition old : before) {
          if (condition.type().equals(old.getType())
              && condition.status().toString().equals(old.getStatus())
              && old.getLastTransitionTime() != null) {
            transition = old.getLastTransitionTime();
          }
        }
      }
      io.fabric8.kubernetes.api.model.Condition entry =
          new io.fabric8.kubernetes.api.model.Condition();
      entry.setType(condition.type());
      entry.setStatus(condition.status().toString());
      entry.setReason(condition.reason());
      entry.setMessage(condition.message());
      entry.setObservedGeneration(condition.observedGeneration());
      entry.setLastTransitionTime(transition);
      out.add(entry);
    }
    return out;
  }
}
