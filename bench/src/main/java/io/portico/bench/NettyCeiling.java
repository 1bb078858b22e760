package io.portico.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The least a server side on Netty handlers could cost: an HTTP/1.1 proxy made of Netty's codecs
 * and nothing else. One host ({@code bench.test}), one backend, a keep-alive pool per event loop,
 * the forwarded headers nginx's bench configuration sets, and no policies, metrics, access log,
 * timeouts or error handling beyond closing. Whatever Portico's server side became on Netty
 * handlers, it would do at least this work per request, so its requests per CPU-second over nginx's
 * are a ceiling for that step (issue 19, item 4), not a design for it.
 *
 * <p>It takes Portico's command line, so {@code bench/ceiling.sh} runs it as one of {@code
 * wire.sh}'s variants: {@code run --manifests DIR --bind ADDRESS --http-port PORT --event-loops N};
 * the backend's port is the one in the EndpointSlice of {@code DIR/app.yaml}; other flags are
 * ignored. Plain HTTP/1.1 only: no TLS, no HTTP/2, no request pipelining.
 */
public final class NettyCeiling {

  private static final Pattern SLICE_PORT =
      Pattern.compile("ports: \\[\\{name: http, port: (\\d+), protocol");
  private static final String HOST = "bench.test";

  private NettyCeiling() {}

  public static void main(String[] args) throws Exception {
    String manifests = flag(args, "--manifests", null);
    String bind = flag(args, "--bind", "127.0.0.1");
    int port = Integer.parseInt(flag(args, "--http-port", "8080"));
    int loops = Integer.parseInt(flag(args, "--event-loops", "1"));
    if (manifests == null) {
      throw new IllegalArgumentException("--manifests DIR is required");
    }
    Matcher slice = SLICE_PORT.matcher(Files.readString(Path.of(manifests, "app.yaml")));
    if (!slice.find()) {
      throw new IllegalArgumentException("no EndpointSlice port in " + manifests + "/app.yaml");
    }
    InetSocketAddress backend = new InetSocketAddress(bind, Integer.parseInt(slice.group(1)));
    var group = new MultiThreadIoEventLoopGroup(loops, EpollIoHandler.newFactory());
    Bootstrap upstream =
        new Bootstrap()
            .channel(EpollSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .remoteAddress(backend)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new BackendSide());
                  }
                });
    new ServerBootstrap()
        .group(group)
        .channel(EpollServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new ClientSide(upstream, ch));
              }
            })
        .bind(bind, port)
        .sync();
    System.err.println("ceiling: " + bind + ":" + port + " -> " + backend);
  }

  private static @Nullable String flag(String[] args, String name, @Nullable String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  /** The idle backend connections of one event loop, most recently used first. */
  private static final FastThreadLocal<ArrayDeque<Channel>> IDLE =
      new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<Channel> initialValue() {
          return new ArrayDeque<>();
        }
      };

  /**
   * One client connection. What the client sends waits in {@code unsent} until it can go: a request
   * when none is in flight, its body once its backend connection is open.
   */
  private static final class ClientSide extends SimpleChannelInboundHandler<HttpObject> {
    private final Bootstrap upstream;
    private final ArrayDeque<HttpObject> unsent = new ArrayDeque<>();
    private final Channel client;
    private @Nullable Channel backend;
    private boolean inFlight;
    private boolean connecting;
    private boolean keepAlive;

    ClientSide(Bootstrap upstream, Channel client) {
      super(false);
      this.upstream = upstream;
      this.client = client;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      unsent.add(msg);
      pump();
    }

    private void pump() {
      HttpObject head;
      while ((head = unsent.peekFirst()) != null) {
        if (head instanceof HttpRequest request) {
          if (inFlight) {
            return; // a pipelined request waits for the response before it
          }
          unsent.pollFirst();
          start(request);
        } else if (connecting) {
          return;
        } else {
          unsent.pollFirst();
          HttpContent content = (HttpContent) head;
          if (backend == null) {
            content.release(); // the body of a request answered here
          } else if (content instanceof LastHttpContent) {
            backend.writeAndFlush(content);
          } else {
            backend.write(content);
          }
        }
      }
    }

    private void start(HttpRequest request) {
      inFlight = true;
      HttpHeaders headers = request.headers();
      String host = headers.get(HttpHeaderNames.HOST);
      keepAlive = HttpUtil.isKeepAlive(request);
      if (host == null || !(host.equals(HOST) || host.startsWith(HOST + ":"))) {
        var notFound =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
        notFound.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        inFlight = false;
        finish(client.writeAndFlush(notFound));
        return;
      }
      InetSocketAddress peer = (InetSocketAddress) client.remoteAddress();
      InetSocketAddress local = (InetSocketAddress) client.localAddress();
      String address = peer.getAddress().getHostAddress();
      headers.remove(HttpHeaderNames.CONNECTION);
      headers.set("x-real-ip", address);
      String forwardedFor = headers.get("x-forwarded-for");
      headers.set(
          "x-forwarded-for", forwardedFor == null ? address : forwardedFor + ", " + address);
      headers.set("x-forwarded-proto", "http");
      headers.set("x-forwarded-host", host);
      headers.set("x-forwarded-port", local.getPort());
      @Nullable Channel idle;
      while ((idle = IDLE.get().pollFirst()) != null && !idle.isActive()) {}
      if (idle != null) {
        send(idle, request);
        return;
      }
      connecting = true;
      upstream
          .clone((EventLoop) client.eventLoop())
          .connect()
          .addListener(
              (ChannelFutureListener)
                  f -> {
                    connecting = false;
                    if (!f.isSuccess() || !client.isActive()) {
                      ReferenceCountUtil.release(request);
                      f.channel().close();
                      client.close();
                      return;
                    }
                    send(f.channel(), request);
                    pump();
                  });
    }

    private void send(Channel channel, HttpRequest request) {
      backend = channel;
      channel.pipeline().get(BackendSide.class).client = this;
      channel.write(request);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (backend != null) {
        backend.flush();
      }
      ctx.fireChannelReadComplete();
    }

    /** Called by the backend side with each part of the response. */
    void relay(HttpObject part) {
      if (part instanceof HttpResponse response) {
        response.headers().remove(HttpHeaderNames.CONNECTION).remove("keep-alive");
      }
      if (!(part instanceof LastHttpContent)) {
        client.write(part);
        return;
      }
      Channel done = Objects.requireNonNull(backend, "a response without a request");
      backend = null;
      inFlight = false;
      done.pipeline().get(BackendSide.class).client = null;
      IDLE.get().addFirst(done);
      finish(client.writeAndFlush(part));
    }

    private void finish(ChannelFuture written) {
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
        return;
      }
      pump();
    }

    void backendLost() {
      backend = null;
      client.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (backend != null) {
        backend.close();
      }
      unsent.forEach(ReferenceCountUtil::release);
      unsent.clear();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** One backend connection: hands the response of the exchange it serves to its client. */
  private static final class BackendSide extends SimpleChannelInboundHandler<HttpObject> {
    @Nullable ClientSide client;

    BackendSide() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (client == null) {
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      client.relay(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      IDLE.get().remove(ctx.channel());
      if (client != null) {
        client.backendLost();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
