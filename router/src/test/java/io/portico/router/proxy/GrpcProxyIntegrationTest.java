package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.portico.router.LiveConfig;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.BackendProtocol;
import io.portico.router.route.BackendTls;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.route.UpstreamSettings;
import io.portico.router.testing.TestVertx;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateGenerator.LeafRequest;
import io.portico.tls.CertificateSet;
import io.portico.tls.KeyType;
import io.portico.tls.TlsKeyPair;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * gRPC through Portico with a real grpc-java server and client: unary, server streaming, client
 * streaming and bidirectional calls, an error status in the trailers, a deadline that cancels the
 * backend's call, over h2c to a GRPC backend and over TLS from the client to a GRPCS backend.
 */
class GrpcProxyIntegrationTest {

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

  private static final MethodDescriptor<String, String> UNARY =
      method("Unary", MethodDescriptor.MethodType.UNARY);
  private static final MethodDescriptor<String, String> SERVER_STREAM =
      method("ServerStream", MethodDescriptor.MethodType.SERVER_STREAMING);
  private static final MethodDescriptor<String, String> CLIENT_STREAM =
      method("ClientStream", MethodDescriptor.MethodType.CLIENT_STREAMING);
  private static final MethodDescriptor<String, String> BIDI =
      method("Bidi", MethodDescriptor.MethodType.BIDI_STREAMING);
  private static final MethodDescriptor<String, String> FAIL =
      method("Fail", MethodDescriptor.MethodType.UNARY);
  private static final MethodDescriptor<String, String> HANG =
      method("Hang", MethodDescriptor.MethodType.UNARY);

  private static TlsKeyPair frontPair;
  private static TlsKeyPair backendPair;

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final CompletableFuture<Void> hangCancelled = new CompletableFuture<>();
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  static void certificates() {
    Instant now = Instant.now();
    frontPair = leaf("grpc.test", now);
    backendPair = leaf("backend.test", now);
  }

  private static TlsKeyPair leaf(String name, Instant now) {
    return CertificateGenerator.selfSigned(
        LeafRequest.builder()
            .commonName(name)
            .dnsName(name)
            .keyType(KeyType.EC_P256)
            .validity(Duration.ofDays(30))
            .build(),
        now);
  }

  private static MethodDescriptor<String, String> method(
      String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<String, String>newBuilder()
        .setType(type)
        .setFullMethodName("test.Echo/" + name)
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
  }

  private ServerServiceDefinition service() {
    return ServerServiceDefinition.builder("test.Echo")
        .addMethod(
            UNARY,
            ServerCalls.asyncUnaryCall(
                (request, reply) -> {
                  reply.onNext("hello " + request);
                  reply.onCompleted();
                }))
        .addMethod(
            SERVER_STREAM,
            ServerCalls.asyncServerStreamingCall(
                (request, reply) -> {
                  for (int i = 0; i < 3; i++) {
                    reply.onNext(request + i);
                  }
                  reply.onCompleted();
                }))
        .addMethod(
            CLIENT_STREAM,
            ServerCalls.asyncClientStreamingCall(
                reply ->
                    new StreamObserver<String>() {
                      private final StringBuilder all = new StringBuilder();

                      @Override
                      public void onNext(String value) {
                        all.append(value);
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        reply.onNext(all.toString());
                        reply.onCompleted();
                      }
                    }))
        .addMethod(
            BIDI,
            ServerCalls.asyncBidiStreamingCall(
                reply ->
                    new StreamObserver<String>() {
                      @Override
                      public void onNext(String value) {
                        reply.onNext("echo " + value);
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        reply.onCompleted();
                      }
                    }))
        .addMethod(
            FAIL,
            ServerCalls.asyncUnaryCall(
                (request, reply) ->
                    reply.onError(
                        Status.NOT_FOUND.withDescription("no such thing").asRuntimeException())))
        .addMethod(
            HANG,
            ServerCalls.asyncUnaryCall(
                (request, reply) ->
                    Context.current()
                        .addListener(context -> hangCancelled.complete(null), Runnable::run)))
        .build();
  }

  private int backend(ServerCredentials credentials) throws IOException {
    Server server = Grpc.newServerBuilderForPort(0, credentials).addService(service()).build();
    server.start();
    servers.add(server);
    return server.getPort();
  }

  private LiveConfig config(BackendProtocol protocol, int port) {
    LiveConfig config = new LiveConfig(CertificateSet.of(frontPair));
    RouteTableBuilder table = RouteTable.builder();
    table.add(
        new Route(
                HostnamePattern.of("grpc.test"),
                PathMatch.prefix("/"),
                Backend.of(
                    new BackendId("default", "grpc", "50051"),
                    List.of(Endpoint.of("127.0.0.1", port))),
                new RouteOrigin("default", "grpc"))
            .withUpstream(UpstreamSettings.DEFAULT.withProtocol(protocol, BackendTls.DEFAULT)));
    config.publish(table.build(), CertificateSet.of(frontPair));
    return config;
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
  void everyKindOfCallOverH2cToAGrpcBackend() throws Exception {
    LiveConfig config = config(BackendProtocol.GRPC, backend(InsecureServerCredentials.create()));
    ProxyServer proxy =
        await(
            ProxyServer.start(
                vertx.vertx(),
                config,
                ProxySettings.defaults("127.0.0.1", 0).withH2cPriorKnowledge(true)));
    ManagedChannel channel = channel(proxy.httpPort(), InsecureChannelCredentials.create());
    assertCalls(channel);
  }

  @Test
  void overTlsFromTheClientToAGrpcsBackend() throws Exception {
    ServerCredentials tls =
        TlsServerCredentials.create(
            pem(backendPair.chain()), pem("PRIVATE KEY", backendPair.privateKey().getEncoded()));
    LiveConfig config = config(BackendProtocol.GRPCS, backend(tls));
    ProxyServer proxy =
        await(
            ProxyServer.start(
                vertx.vertx(),
                config,
                ProxySettings.defaults("127.0.0.1", 0),
                HttpsSettings.defaults(0)));
    ChannelCredentials client =
        TlsChannelCredentials.newBuilder().trustManager(pem(frontPair.chain())).build();
    assertCalls(channel(proxy.httpsPort(), client));
  }

  private void assertCalls(ManagedChannel channel) throws Exception {
    assertEquals(
        "hello portico",
        ClientCalls.blockingUnaryCall(
            channel,
            UNARY,
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
            "portico"));

    List<String> streamed = new ArrayList<>();
    Iterator<String> replies =
        ClientCalls.blockingServerStreamingCall(
            channel,
            SERVER_STREAM,
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
            "n");
    replies.forEachRemaining(streamed::add);
    assertEquals(List.of("n0", "n1", "n2"), streamed);

    CompletableFuture<String> summed = new CompletableFuture<>();
    StreamObserver<String> upload =
        ClientCalls.asyncClientStreamingCall(
            channel.newCall(CLIENT_STREAM, CallOptions.DEFAULT),
            observer(summed, new ArrayList<>()));
    upload.onNext("a");
    upload.onNext("b");
    upload.onNext("c");
    upload.onCompleted();
    assertEquals("abc", summed.get(10, TimeUnit.SECONDS));

    CompletableFuture<String> bidiDone = new CompletableFuture<>();
    List<String> echoed = new ArrayList<>();
    StreamObserver<String> bidi =
        ClientCalls.asyncBidiStreamingCall(
            channel.newCall(BIDI, CallOptions.DEFAULT), observer(bidiDone, echoed));
    bidi.onNext("x");
    bidi.onNext("y");
    bidi.onCompleted();
    bidiDone.get(10, TimeUnit.SECONDS);
    synchronized (echoed) {
      assertEquals(List.of("echo x", "echo y"), echoed);
    }

    StatusRuntimeException failed =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    channel,
                    FAIL,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    "x"));
    assertEquals(Status.Code.NOT_FOUND, failed.getStatus().getCode());
    assertEquals("no such thing", failed.getStatus().getDescription());

    StatusRuntimeException late =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    channel,
                    HANG,
                    CallOptions.DEFAULT.withDeadlineAfter(500, TimeUnit.MILLISECONDS),
                    "x"));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, late.getStatus().getCode());
    // The deadline reached the backend (grpc-timeout) or the client's cancellation did
    // (RST_STREAM).
    hangCancelled.get(10, TimeUnit.SECONDS);
    assertTrue(hangCancelled.isDone());
    // The connection to the backend still carries calls.
    assertEquals(
        "hello again",
        ClientCalls.blockingUnaryCall(
            channel, UNARY, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "again"));
  }

  private static StreamObserver<String> observer(
      CompletableFuture<String> done, List<String> seen) {
    return new StreamObserver<>() {
      private String last = "";

      @Override
      public void onNext(String value) {
        synchronized (seen) {
          seen.add(value);
        }
        last = value;
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(last);
      }
    };
  }

  private static InputStream pem(List<X509Certificate> chain) throws Exception {
    StringBuilder text = new StringBuilder();
    for (X509Certificate certificate : chain) {
      text.append(pemText("CERTIFICATE", certificate.getEncoded()));
    }
    return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private static InputStream pem(String type, byte[] der) {
    return new ByteArrayInputStream(pemText(type, der).getBytes(StandardCharsets.US_ASCII));
  }

  private static String pemText(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
