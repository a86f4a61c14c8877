package dev.verifull.tailscale;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * HTTP/1.1 over a Unix socket or to a macOS GUI app's loopback port, with Netty's HTTP codec on
 * the client's own NIO event loop (NIO speaks Unix sockets on JDK 16+, on Linux and macOS alike).
 */
final class NettyHttpTransport implements LocalApiTransport {
    private final LocalApiEndpoint endpoint;
    private final SocketAddress address;
    private final String token;
    private final LocalApiThreads threads;

    NettyHttpTransport(LocalApiEndpoint.UnixSocket socket, LocalApiThreads threads) {
        this(socket, UnixDomainSocketAddress.of(socket.path()), null, threads);
    }

    NettyHttpTransport(LocalApiEndpoint.LoopbackPort port, LocalApiThreads threads) {
        this(port, new InetSocketAddress(InetAddress.getLoopbackAddress(), port.port()), port.token(), threads);
    }

    private NettyHttpTransport(LocalApiEndpoint endpoint, SocketAddress address, String token, LocalApiThreads threads) {
        this.endpoint = endpoint;
        this.address = address;
        this.token = token;
        this.threads = threads;
    }

    @Override
    public LocalApiEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public CompletableFuture<LocalApiResponse> send(LocalApiCall call, Duration timeout) {
        CompletableFuture<LocalApiResponse> answer = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(threads.io())
                .channel(address instanceof UnixDomainSocketAddress ? NioDomainSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(),
                                new HttpObjectAggregator(LocalApiRequests.MAX_ANSWER_BYTES),
                                new AnswerHandler(answer));
                    }
                });
        ChannelFuture connect = bootstrap.connect(address);
        Channel channel = connect.channel();
        ScheduledFuture<?> deadline = threads.io().schedule(
                () -> answer.completeExceptionally(new LocalApiTimeoutException(call.operation(), timeout, endpoint)),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        answer.whenComplete((r, e) -> {
            deadline.cancel(false);
            channel.close();
        });
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                answer.completeExceptionally(TailscaleUnreachableException.at(endpoint, reason(f.cause()), f.cause()));
            } else {
                f.channel().writeAndFlush(LocalApiRequests.get(call, token)).addListener((ChannelFuture w) -> {
                    if (!w.isSuccess()) {
                        answer.completeExceptionally(TailscaleUnreachableException.at(endpoint, reason(w.cause()), w.cause()));
                    }
                });
            }
        });
        return answer;
    }

    /** A short lower-case reason such as "connection refused" or "no such socket". */
    private String reason(Throwable cause) {
        if (address instanceof UnixDomainSocketAddress uds && !Files.exists(uds.getPath())) return "no such socket";
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage();
        if (message == null || message.isBlank()) return root.getClass().getSimpleName();
        // Netty annotates connect errors with the address ("Connection refused: /127.0.0.1:5"); we name it already.
        int annotation = message.indexOf(": /");
        if (annotation > 0) message = message.substring(0, annotation);
        return message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    }

    private final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<LocalApiResponse> answer;

        AnswerHandler(CompletableFuture<LocalApiResponse> answer) {
            this.answer = answer;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            answer.complete(LocalApiRequests.toResponse(response));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            answer.completeExceptionally(TailscaleUnreachableException.at(endpoint, reason(cause), cause));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answer.completeExceptionally(TailscaleUnreachableException.at(endpoint,
                    "tailscaled closed the connection without answering", null));
        }
    }
}
