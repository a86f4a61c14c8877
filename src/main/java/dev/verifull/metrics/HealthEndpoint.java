package dev.verifull.metrics;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * {@code /metrics} (Prometheus text format), {@code /healthz} (liveness) and {@code /readyz}
 * (readiness) over plain HTTP/1.1 on the one address it is given, on a single I/O thread of its
 * own so a scrape never waits behind relayed traffic. GET and HEAD only; requests have no body
 * worth reading (8 KiB at most) and idle connections are closed after 30 s.
 */
public final class HealthEndpoint implements AutoCloseable {
    private static final int MAX_REQUEST = 8192;

    private final EventLoopGroup group;
    private final Channel channel;

    private HealthEndpoint(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds {@code address} and serves until closed.
     *
     * @param metrics the exposition text, made on each scrape (on the endpoint's thread)
     * @param live    {@code /healthz}: 200 when ok, else 503
     * @param ready   {@code /readyz}: 200 when ok, else 503
     * @throws InterruptedException while binding
     * @throws java.io.IOException  the address cannot be bound (in use, not this machine's)
     */
    public static HealthEndpoint start(InetSocketAddress address, Supplier<String> metrics, Supplier<Health> live,
                                       Supplier<Health> ready) throws InterruptedException, java.io.IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("verifull-metrics", true),
                NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(30), new HttpServerCodec(4096, 8192, 8192),
                                new HttpObjectAggregator(MAX_REQUEST), new Handler(metrics, live, ready));
                    }
                });
        var bound = b.bind(address).await();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
            String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
            throw new java.io.IOException("cannot listen for metrics on " + (host.contains(":") ? "[" + host + "]" : host)
                    + ":" + address.getPort()
                    + ": " + bound.cause().getMessage(), bound.cause());
        }
        return new HealthEndpoint(group, bound.channel());
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5_000);
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(10_000);
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Supplier<String> metrics;
        private final Supplier<Health> live;
        private final Supplier<Health> ready;

        Handler(Supplier<String> metrics, Supplier<Health> live, Supplier<Health> ready) {
            this.metrics = metrics;
            this.live = live;
            this.ready = ready;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean head = request.method().equals(HttpMethod.HEAD);
            FullHttpResponse response;
            if (!request.decoderResult().isSuccess()) {
                response = text(HttpResponseStatus.BAD_REQUEST, "bad request\n", "text/plain; charset=utf-8");
            } else if (!head && !request.method().equals(HttpMethod.GET)) {
                response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD only\n", "text/plain; charset=utf-8");
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            } else {
                String path = request.uri();
                int query = path.indexOf('?');
                if (query >= 0) path = path.substring(0, query);
                response = switch (path) {
                    case "/metrics" -> text(HttpResponseStatus.OK, metrics.get(), Exposition.CONTENT_TYPE);
                    case "/healthz" -> health(live.get());
                    case "/readyz" -> health(ready.get());
                    default -> text(HttpResponseStatus.NOT_FOUND, "not found: try /metrics, /healthz or /readyz\n",
                            "text/plain; charset=utf-8");
                };
            }
            if (head) {
                int length = response.content().readableBytes();
                response.content().clear();
                HttpUtil.setContentLength(response, length);
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
        }

        private static FullHttpResponse health(Health h) {
            return text(h.ok() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    (h.ok() ? "ok: " : "not ready: ") + h.reason() + "\n", "text/plain; charset=utf-8");
        }

        private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            HttpUtil.setContentLength(r, r.content().readableBytes());
            return r;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a read time-out or a reset: nothing to tell anyone
        }
    }
}
