package io.portico.controller.gateway;

import io.portico.controller.snapshot.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What Portico made of one Gateway listener while attaching: whether it is accepted, the local port
 * serving it, the route kinds it takes, its usable certificates, and its conditions so far. Mutable
 * while {@link GatewayAttachment} works, then turned into status and {@link ServedListener}s.
 */
final class ListenerState {

  final GatewayView gateway;
  final ListenerView listener;
  @Nullable LocalPort local;

  /** False when the Gateway itself is refused (its parameters or addresses): nothing is served. */
  boolean gatewayAccepted = true;

  boolean accepted = true;
  String acceptedReason = GatewayApi.Reason.ACCEPTED;
  String acceptedMessage = "the listener is valid";
  boolean conflicted;
  List<GroupKind> kinds = List.of();
  @Nullable String kindsProblem;
  final List<ObjectKey> certificates = new ArrayList<>();
  @Nullable String certificateReason;
  @Nullable String certificateProblem;
  int attachedRoutes;

  ListenerState(GatewayView gateway, ListenerView listener) {
    this.gateway = gateway;
    this.listener = listener;
  }

  void refuse(String reason, String message) {
    if (accepted) {
      accepted = false;
      acceptedReason = reason;
      acceptedMessage = message;
    }
  }

  boolean isHttps() {
    return GatewayApi.HTTPS.equals(listener.protocol());
  }

  /** Whether Portico serves traffic for it: accepted and, for HTTPS, with a certificate. */
  boolean programmed() {
    return gatewayAccepted && accepted && (!isHttps() || !certificates.isEmpty());
  }
}
