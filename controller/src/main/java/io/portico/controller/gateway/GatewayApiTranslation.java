package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.portico.controller.snapshot.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The Gateway API part of a translation, as one pure function: reads every object ({@link
 * GatewayApiReader}), attaches ({@link GatewayAttachment}) and builds the route model ({@link
 * GatewayRoutes}). An object that fails validation is left out, with a finding naming the field.
 *
 * @param status the status of every object Portico manages
 * @param routes the rules to serve, per local port and listener
 * @param findings what status cannot say, sorted
 */
public record GatewayApiTranslation(
    GatewayApiStatus status, GatewayRoutes routes, List<GatewayFinding> findings) {

  public GatewayApiTranslation {
    requireNonNull(status, "status");
    requireNonNull(routes, "routes");
    findings = findings.stream().sorted().toList();
  }

  /**
   * Translates the Gateway API objects of one snapshot.
   *
   * @param reads the routes' reads kept from the last translation that used it, reused for the
   *     route objects the inputs still hold (see {@link RouteReads}); a new one reads every route
   */
  public static GatewayApiTranslation translate(
      GatewayApiInputs inputs, GatewaySettings settings, RouteReads reads) {
    List<GatewayFinding> findings = new ArrayList<>();
    List<GatewayClassView> classes =
        read(inputs.classes(), GatewayApiReader::gatewayClass, true, findings);
    List<GatewayView> gateways =
        read(inputs.gateways(), GatewayApiReader::gateway, false, findings);
    List<RouteView> routes = new ArrayList<>();
    routes.addAll(
        read(inputs.httpRoutes(), r -> reads.read(r, RouteReader::httpRoute), false, findings));
    routes.addAll(
        read(inputs.grpcRoutes(), r -> reads.read(r, RouteReader::grpcRoute), false, findings));
    reads.translated();
    List<ReferenceGrantView> grants = new ArrayList<>();
    for (HasMetadata grant : inputs.referenceGrants()) {
      Read<ReferenceGrantView> read;
      if (grant instanceof io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant v1) {
        read = GatewayApiReader.referenceGrant(v1);
      } else if (grant
          instanceof io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant v1beta1) {
        read = GatewayApiReader.referenceGrant(v1beta1);
      } else {
        throw new IllegalArgumentException(
            "referenceGrants: " + grant.getClass().getName() + " (expected: a ReferenceGrant)");
      }
      keep(grant, false, read, grants, findings);
    }
    GatewayAttachment.Result attached =
        GatewayAttachment.attach(classes, gateways, routes, grants, inputs.references(), settings);
    return new GatewayApiTranslation(
        attached.status(), GatewayRoutes.of(attached, grants, inputs.references()), findings);
  }

  private static <O extends HasMetadata, V> List<V> read(
      List<O> objects,
      Function<O, Read<V>> reader,
      boolean clusterScoped,
      List<GatewayFinding> findings) {
    List<V> views = new ArrayList<>();
    for (O object : objects) {
      keep(object, clusterScoped, reader.apply(object), views, findings);
    }
    return views;
  }

  private static <V> void keep(
      HasMetadata object,
      boolean clusterScoped,
      Read<V> read,
      List<V> views,
      List<GatewayFinding> findings) {
    if (read.valid()) {
      views.add(read.view().orElseThrow());
      return;
    }
    ObjectKey key =
        clusterScoped ? new ObjectKey("", object.getMetadata().getName()) : ObjectKey.of(object);
    for (String problem : read.problems()) {
      findings.add(
          new GatewayFinding(
              object.getKind(),
              key,
              "InvalidObject",
              problem + "; the API server would reject this object, so it is ignored"));
    }
  }
}
