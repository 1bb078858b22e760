package io.portico.controller.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.proxy.HttpsSettings;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.KeyType;
import io.portico.tls.Pem;
import io.portico.tls.TlsKeyPair;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GRPCRoute traffic through Portico, in the spirit of the suite's GRPCExactMethodMatching: real
 * grpc-java servers behind Services, a GRPCRoute on a Gateway served by Portico's HTTP listener,
 * and a grpc-java client speaking h2c with prior knowledge. The backends are called over h2c, as
 * {@code backend-protocol: GRPC} does; over HTTP/1.1 no call would be answered.
 */
class GrpcRouteIntegrationTest {

  private static final MethodDescriptor.Marshaller<String> TEXT =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static final MethodDescriptor<String, String> ALPHA_HELLO = unary("test.Alpha/Hello");
  private static final MethodDescriptor<String, String> BETA_HELLO = unary("test.Beta/Hello");
  private static final MethodDescriptor<String, String> ALPHA_OTHER = unary("test.Alpha/Other");

  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private Controller controller;

  private static MethodDescriptor<String, String> unary(String fullName) {
    return MethodDescriptor.<String, String>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(fullName)
        .setRequestMarshaller(TEXT)
        .setResponseMarshaller(TEXT)
        .build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (Server server : servers) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (controller != null) {
      controller.close();
    }
  }

  /** A gRPC server answering every method of both services with its own name. */
  private int backend(String name) throws IOException {
    Server server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(
                ServerServiceDefinition.builder("test.Alpha")
                    .addMethod(ALPHA_HELLO, answer(name))
                    .addMethod(ALPHA_OTHER, answer(name))
                    .build())
            .addService(
                ServerServiceDefinition.builder("test.Beta")
                    .addMethod(BETA_HELLO, answer(name))
                    .build())
            .build()
            .start();
    servers.add(server);
    return server.getPort();
  }

  private static ServerCallHandler<String, String> answer(String name) {
    return ServerCalls.asyncUnaryCall(
        (request, reply) -> {
          reply.onNext(name + ": " + request);
          reply.onCompleted();
        });
  }

  private static String service(String name, int port) {
    return """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s, namespace: default}
        spec:
          ports: [{name: grpc, protocol: TCP, port: 50051, targetPort: 50051}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: %1$s-0, namespace: default, labels: {kubernetes.io/service-name: %1$s}}
        addressType: IPv4
        ports: [{name: grpc, protocol: TCP, port: %2$d}]
        endpoints:
        - addresses: [127.0.0.1]
          conditions: {ready: true}
        """
        .formatted(name, port);
  }

  /** Portico serving the Gateway (with these listeners) and a GRPCRoute to both backends. */
  private void start(Path folder, String listeners, String more) throws Exception {
    int alpha = backend("alpha");
    int beta = backend("beta");
    Files.writeString(
        folder.resolve("grpc.yaml"),
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: portico}
        spec: {controllerName: portico.io/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: web, namespace: default}
        spec:
          gatewayClassName: portico
          listeners:
        %s
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: greeter, namespace: default}
        spec:
          parentRefs: [{name: web}]
          hostnames: [grpc.test]
          rules:
          - matches: [{method: {service: test.Alpha, method: Hello}}]
            backendRefs: [{name: alpha-svc, port: 50051}]
          - matches: [{method: {service: test.Beta}}]
            backendRefs: [{name: beta-svc, port: 50051}]
        """
                .formatted(listeners.indent(2).stripTrailing())
            + service("alpha-svc", alpha)
            + service("beta-svc", beta)
            + more);
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .translator(TranslatorSettings.defaults().withGateway(GatewaySettings.defaults()))
                .proxy(
                    ProxySettings.defaults("127.0.0.1", 0)
                        .withEventLoops(1)
                        .withH2cPriorKnowledge(true))
                .https(HttpsSettings.defaults(0).withRedirectPort(0))
                .admin("127.0.0.1", 0)
                .build());
  }

  private ManagedChannel channel(int port, ChannelCredentials credentials) {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials)
            .overrideAuthority("grpc.test")
            .build();
    channels.add(channel);
    return channel;
  }

  @Test
  void overH2cTheMethodMatchChoosesTheBackend(@TempDir Path folder) throws Exception {
    start(folder, "- {name: http, port: 80, protocol: HTTP}", "");
    assertCalls(channel(controller.httpPort(), InsecureChannelCredentials.create()));
  }

  @Test
  void overTlsWithAlpnTheMethodMatchChoosesTheBackend(@TempDir Path folder) throws Exception {
    TlsKeyPair pair =
        CertificateGenerator.selfSigned(
            CertificateGenerator.LeafRequest.builder()
                .commonName("grpc.test")
                .dnsName("grpc.test")
                .keyType(KeyType.EC_P256)
                .validity(Duration.ofDays(30))
                .build(),
            Instant.now());
    start(
        folder,
        """
        - name: https
          port: 443
          protocol: HTTPS
          hostname: grpc.test
          tls: {certificateRefs: [{name: grpc-tls}]}
        """,
        secret(pair));
    ChannelCredentials client =
        TlsChannelCredentials.newBuilder()
            .trustManager(
                new ByteArrayInputStream(
                    Pem.certificates(pair.chain()).getBytes(StandardCharsets.UTF_8)))
            .build();
    assertCalls(channel(controller.httpsPort(), client));
  }

  private static String secret(TlsKeyPair pair) {
    Base64.Encoder base64 = Base64.getEncoder();
    return """
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: grpc-tls, namespace: default}
        type: kubernetes.io/tls
        data:
          tls.crt: %s
          tls.key: %s
        """
        .formatted(
            base64.encodeToString(Pem.certificates(pair.chain()).getBytes(StandardCharsets.UTF_8)),
            base64.encodeToString(
                Pem.privateKey(pair.privateKey()).getBytes(StandardCharsets.UTF_8)));
  }

  /** Unary calls answered, each by the backend its method's rule names. */
  private static void assertCalls(ManagedChannel channel) throws Exception {
    Await.until(
        "test.Alpha/Hello answered through Portico",
        Duration.ofSeconds(30),
        () -> "alpha: one".equals(call(channel, ALPHA_HELLO, "one")));
    assertEquals("alpha: two", call(channel, ALPHA_HELLO, "two"));
    assertEquals("beta: three", call(channel, BETA_HELLO, "three"));
    // No rule matches test.Alpha/Other: the call fails, though both backends serve the method.
    assertThrows(StatusRuntimeException.class, () -> call(channel, ALPHA_OTHER, "four"));
  }

  private static String call(
      ManagedChannel channel, MethodDescriptor<String, String> method, String request) {
    try {
      return ClientCalls.blockingUnaryCall(
          channel, method, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), request);
    } catch (StatusRuntimeException e) {
      if (method == ALPHA_OTHER) {
        throw e;
      }
      return "failed: " + e.getStatus();
    }
  }
}
