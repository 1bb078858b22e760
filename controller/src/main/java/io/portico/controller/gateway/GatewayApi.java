package io.portico.controller.gateway;

/**
 * The names the Gateway API specification fixes: its group, the kinds, Portico's controller name,
 * and the condition types and reasons Portico writes. One place, so that a typo in a reason cannot
 * hide in a branch.
 */
public final class GatewayApi {

  public static final String GROUP = "gateway.networking.k8s.io";

  /** The core group ({@code ""}), of Services and Secrets. */
  public static final String CORE_GROUP = "";

  /** The {@code spec.controllerName} of the GatewayClasses Portico serves. */
  public static final String CONTROLLER_NAME = "portico.io/gateway-controller";

  /** The Gateway API bundle version whose semantics Portico implements. */
  public static final String BUNDLE_VERSION = "v1.6.1";

  /** The annotation of a Gateway API CRD that names the bundle version it comes from. */
  public static final String BUNDLE_VERSION_ANNOTATION = "gateway.networking.k8s.io/bundle-version";

  /** The label the API server puts on every Namespace, with the Namespace's name. */
  public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  public static final String GATEWAY_CLASS = "GatewayClass";
  public static final String GATEWAY = "Gateway";
  public static final String HTTP_ROUTE = "HTTPRoute";
  public static final String GRPC_ROUTE = "GRPCRoute";
  public static final String REFERENCE_GRANT = "ReferenceGrant";
  public static final String SERVICE = "Service";
  public static final String SECRET = "Secret";

  public static final String HTTP = "HTTP";
  public static final String HTTPS = "HTTPS";

  /** Condition types. */
  public static final class Type {
    public static final String ACCEPTED = "Accepted";
    public static final String PROGRAMMED = "Programmed";
    public static final String RESOLVED_REFS = "ResolvedRefs";
    public static final String SUPPORTED_VERSION = "SupportedVersion";
    public static final String CONFLICTED = "Conflicted";
    public static final String PARTIALLY_INVALID = "PartiallyInvalid";

    private Type() {}
  }

  /** Condition reasons. */
  public static final class Reason {
    public static final String ACCEPTED = "Accepted";
    public static final String PROGRAMMED = "Programmed";
    public static final String RESOLVED_REFS = "ResolvedRefs";
    public static final String SUPPORTED_VERSION = "SupportedVersion";
    public static final String INVALID_PARAMETERS = "InvalidParameters";
    public static final String LISTENERS_NOT_VALID = "ListenersNotValid";
    public static final String INVALID = "Invalid";
    public static final String UNSUPPORTED_ADDRESS = "UnsupportedAddress";
    public static final String PORT_UNAVAILABLE = "PortUnavailable";
    public static final String UNSUPPORTED_PROTOCOL = "UnsupportedProtocol";
    public static final String UNSUPPORTED_VALUE = "UnsupportedValue";
    public static final String INVALID_CERTIFICATE_REF = "InvalidCertificateRef";
    public static final String INVALID_ROUTE_KINDS = "InvalidRouteKinds";
    public static final String REF_NOT_PERMITTED = "RefNotPermitted";
    public static final String PROTOCOL_CONFLICT = "ProtocolConflict";
    public static final String NO_CONFLICTS = "NoConflicts";
    public static final String NOT_ALLOWED_BY_LISTENERS = "NotAllowedByListeners";
    public static final String NO_MATCHING_LISTENER_HOSTNAME = "NoMatchingListenerHostname";
    public static final String NO_MATCHING_PARENT = "NoMatchingParent";
    public static final String INVALID_KIND = "InvalidKind";
    public static final String BACKEND_NOT_FOUND = "BackendNotFound";

    private Reason() {}
  }

  private GatewayApi() {}
}
