package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.HeaderEdits;
import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.PolicyChain;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.ResponseHead;
import io.portico.router.policy.ResponseHeadPolicy;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.SideRequest;
import io.portico.router.policy.UpstreamChanges;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policies of one request's route, between the route match and the upstream: runs their {@link
 * PolicyChain}, holds the request's body back while a policy decides later, writes a policy's
 * answer, and edits every response head of the request (the backend's, Portico's own errors, a
 * policy's answer) with the route's {@link ResponseHeadPolicy}s and the headers the policies added.
 * Only routes with policies get one.
 */
final class PolicyStage implements PolicyChain.Outcome, ResponseHead, Handler<Void> {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyStage.class);

  private final ProxyHandler handler;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final RequestRecord record;
  private final RoutePolicies policies;
  private final ServerPolicyRequest view;
  private final PolicyChain chain;
  private final ListenerContext listener;
  // The request's event loop context, where a decision made elsewhere resumes the chain.
  private final Context context;
  private boolean paused;

  PolicyStage(
      ProxyHandler handler,
      ListenerContext listener,
      HttpServerRequest request,
      String path,
      RequestRecord record,
      RoutePolicies policies) {
    this.handler = handler;
    this.listener = listener;
    this.request = request;
    this.response = request.response();
    this.record = record;
    this.policies = policies;
    this.view =
        new ServerPolicyRequest(
            request,
            record.authority(),
            path,
            listener,
            record.clientAddress(),
            record.clientAddress().viaTrustedProxy()
                && record.clientRules().trustsForwardedRequest(),
            requireNonNull(record.target(), "target"));
    this.chain = new PolicyChain(policies, view, this);
    this.context = Vertx.currentContext();
  }

  void start() {
    response.headersEndHandler(this);
    chain.start();
    if (!chain.done()) {
      // A policy decides later: its body waits unread, for the backend or to be dropped.
      paused = true;
      request.pause();
    }
  }

  @Override
  public void proceeded(PolicyChain done) {
    if (response.closed()) {
      // The client left while a policy decided; its record is closed already.
      return;
    }
    UpstreamChanges changes = done.upstreamChanges();
    if (changes != null
        && requireNonNull(record.target(), "target").backend(changes.backend()) == null) {
      // A choice of a backend the route does not have is a bug in the policy: fail closed.
      failed(
          policies.all().get(policies.all().size() - 1),
          new IllegalArgumentException(
              "backend: "
                  + changes.backend()
                  + " (expected: below "
                  + record.target().route().backendCount()
                  + ")"));
      return;
    }
    handler.forward(request, record, changes, paused);
  }

  @Override
  public void answered(PolicyChain done, PolicyAnswer answer) {
    if (paused) {
      // Read and drop what the client still sends, so that its connection can carry the next one.
      request.resume();
    }
    if (response.closed()) {
      return;
    }
    response.setStatusCode(answer.status());
    for (PolicyAnswer.Header header : answer.headers()) {
      response.headers().add(header.name(), header.value());
    }
    if (answer.body() == null) {
      response.end();
    } else {
      response.end(answer.body());
    }
  }

  @Override
  public void failed(RequestPolicy policy, RuntimeException error) {
    LOG.warn(
        "event=policy_failed policy={} ingress={} cause={}",
        policy,
        requireNonNull(record.target(), "target").route().origin(),
        error.toString());
    if (paused) {
      request.resume();
    }
    record.failed(ProxyFailure.POLICY_FAILED);
    ProxyFailure.POLICY_FAILED.send(request);
  }

  @Override
  public void execute(Runnable step) {
    if (Vertx.currentContext() == context) {
      step.run();
    } else {
      context.runOnContext(v -> step.run());
    }
  }

  @Override
  public void onEnd(Runnable release) {
    // The record is the event loop's: a policy deciding elsewhere registers through it.
    execute(() -> record.onEnd(release));
  }

  @Override
  public void send(SideRequest side, SideRequest.Callback callback) {
    // Called from a policy on the event loop, or later from elsewhere: the client is the loop's.
    execute(() -> listener.sideRequests().send(side, callback));
  }

  /** The response head is about to be written, whoever wrote it: edit it. */
  @Override
  public void handle(Void head) {
    for (ResponseHeadPolicy policy : policies.responseHeadPolicies()) {
      try {
        policy.editResponseHead(view, this);
      } catch (RuntimeException e) {
        LOG.warn(
            "event=policy_failed policy={} ingress={} cause={}",
            policy,
            requireNonNull(record.target(), "target").route().origin(),
            e.toString());
      }
    }
    HeaderEdits added = chain.responseHeaders();
    if (added != null) {
      added.applyTo(this);
    }
  }

  @Override
  public int status() {
    return response.getStatusCode();
  }

  @Override
  public @Nullable String header(String name) {
    return response.headers().get(name);
  }

  @Override
  public void set(String name, String value) {
    response.headers().set(name, value);
  }

  @Override
  public void add(String name, String value) {
    response.headers().add(name, value);
  }

  @Override
  public void remove(String name) {
    response.headers().remove(name);
  }
}
