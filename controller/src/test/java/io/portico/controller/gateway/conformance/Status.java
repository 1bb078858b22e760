package io.portico.controller.gateway.conformance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The conformance suite's status predicates (its {@code kubernetes/helpers.go}), over an object as
 * {@link Environment#object} gives it: {@code metadata.generation} and {@code status}.
 */
final class Status {

  private Status() {}

  static long generation(JsonObject object) {
    Long generation = object.getJsonObject("metadata").getLong("generation");
    return generation == null ? 1 : generation;
  }

  static JsonObject status(JsonObject object) {
    JsonObject status = object.getJsonObject("status");
    return status == null ? new JsonObject() : status;
  }

  static JsonArray conditions(JsonObject holder) {
    JsonArray conditions = holder.getJsonArray("conditions");
    return conditions == null ? new JsonArray() : conditions;
  }

  /** Whether every condition was computed from the object's current generation. */
  static boolean latest(JsonObject object, JsonArray conditions) {
    if (conditions.isEmpty()) {
      return false;
    }
    long generation = generation(object);
    for (int i = 0; i < conditions.size(); i++) {
      Long observed = conditions.getJsonObject(i).getLong("observedGeneration");
      if (observed == null || observed != generation) {
        return false;
      }
    }
    return true;
  }

  /** Whether the object's own conditions are latest. */
  static boolean latest(JsonObject object) {
    return object != null && latest(object, conditions(status(object)));
  }

  /** Whether {@code conditions} hold one of that type and status, with that reason unless null. */
  static boolean has(JsonArray conditions, String type, String status, String reason) {
    for (int i = 0; i < conditions.size(); i++) {
      JsonObject condition = conditions.getJsonObject(i);
      if (type.equals(condition.getString("type"))
          && status.equals(condition.getString("status"))
          && (reason == null || reason.equals(condition.getString("reason")))) {
        return true;
      }
    }
    return false;
  }

  /** The listener status of that name, or {@code null}. */
  static JsonObject listener(JsonObject gateway, String name) {
    JsonArray listeners = status(gateway).getJsonArray("listeners");
    if (listeners == null) {
      return null;
    }
    for (int i = 0; i < listeners.size(); i++) {
      if (name.equals(listeners.getJsonObject(i).getString("name"))) {
        return listeners.getJsonObject(i);
      }
    }
    return null;
  }

  static int listenerCount(JsonObject gateway) {
    JsonArray listeners = status(gateway).getJsonArray("listeners");
    return listeners == null ? 0 : listeners.size();
  }

  static int attachedRoutes(JsonObject listener) {
    Integer attached = listener.getInteger("attachedRoutes");
    return attached == null ? 0 : attached;
  }

  /** The route kinds of a listener status. */
  static java.util.List<String> supportedKinds(JsonObject listener) {
    JsonArray kinds = listener.getJsonArray("supportedKinds");
    java.util.List<String> out = new java.util.ArrayList<>();
    if (kinds != null) {
      for (int i = 0; i < kinds.size(); i++) {
        out.add(kinds.getJsonObject(i).getString("kind"));
      }
    }
    return out;
  }

  /**
   * The route parent of Portico for that Gateway, with group, kind and namespace written out, or
   * {@code null}.
   */
  static JsonObject parent(JsonObject route, String namespace, String gateway) {
    JsonArray parents = status(route).getJsonArray("parents");
    if (parents == null) {
      return null;
    }
    for (int i = 0; i < parents.size(); i++) {
      JsonObject parent = parents.getJsonObject(i);
      JsonObject ref = parent.getJsonObject("parentRef");
      if ("portico.io/gateway-controller".equals(parent.getString("controllerName"))
          && "gateway.networking.k8s.io".equals(ref.getString("group"))
          && "Gateway".equals(ref.getString("kind"))
          && gateway.equals(ref.getString("name"))
          && Objects.equals(namespace, ref.getString("namespace"))) {
        return parent;
      }
    }
    return null;
  }

  /** Whether the route's parent for that Gateway has the condition, computed at its generation. */
  static boolean parentHas(
      JsonObject route,
      String namespace,
      String gateway,
      String type,
      String status,
      String reason) {
    if (route == null) {
      return false;
    }
    JsonObject parent = parent(route, namespace, gateway);
    return parent != null
        && latest(route, conditions(parent))
        && has(conditions(parent), type, status, reason);
  }
}
