package io.portico.bench;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A gRPC backend for {@code bench/grpc.sh}: grpc-java in clear text (h2c), one unary method, {@code
 * bench.Echo/Unary}, that answers its request's bytes as they came. Messages are raw bytes (no
 * protobuf), so h2load can send a fixed framed request.
 *
 * <p>Usage: {@code GrpcEcho PORT}; runs until killed.
 */
public final class GrpcEcho {

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private GrpcEcho() {}

  public static void main(String[] args) throws Exception {
    MethodDescriptor<byte[], byte[]> unary =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("bench.Echo/Unary")
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("bench.Echo")
            .addMethod(
                unary,
                ServerCalls.asyncUnaryCall(
                    (request, reply) -> {
                      reply.onNext(request);
                      reply.onCompleted();
                    }))
            .build();
    Server server =
        Grpc.newServerBuilderForPort(Integer.parseInt(args[0]), InsecureServerCredentials.create())
            .addService(service)
            .build()
            .start();
    System.out.println("event=grpc_echo_listening port=" + server.getPort());
    server.awaitTermination();
  }
}
