package dev.verifull.tls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLEngine;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

/** Connects to 127.0.0.1 with an {@link UpstreamTls} handler and reports the handshake outcome. */
final class TlsTestClient {
    private TlsTestClient() {}

    /** Either {@code negotiated} (success) or {@code failure} (diagnosed) is set. */
    record Outcome(NegotiatedTls negotiated, UpstreamDiagnosis failure, Throwable cause, SSLEngine engine) {
        boolean ok() {
            return cause == null;
        }

        @Override
        public String toString() {
            if (ok()) return "ok " + negotiated;
            return (failure == null ? "undiagnosed" : failure.kind() + ": " + failure.fullText()) + "\ncause: " + cause;
        }
    }

    static Outcome connect(EventLoopGroup group, UpstreamTls tls, String verifyHost, int port, boolean directTls)
            throws InterruptedException {
        return connect(group, tls, verifyHost, port, directTls, true);
    }

    /** With {@code diagnose} false a failure is left undiagnosed ({@code failure} null), for tests of diagnose itself. */
    static Outcome connect(EventLoopGroup group, UpstreamTls tls, String verifyHost, int port, boolean directTls,
                           boolean diagnose) throws InterruptedException {
        AtomicReference<SslHandler> handler = new AtomicReference<>();
        Channel channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        handler.set(tls.newHandler(ch.alloc(), verifyHost, port, directTls));
                        ch.pipeline().addLast(handler.get(), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close(); // the handshake future carries the failure
                            }
                        });
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
        try {
            Future<Channel> handshake = handler.get().handshakeFuture();
            assertTrue(handshake.await(20, TimeUnit.SECONDS), "handshake did not finish");
            SSLEngine engine = handler.get().engine();
            if (handshake.isSuccess()) return new Outcome(NegotiatedTls.of(handler.get()), null, null, engine);
            UpstreamDiagnosis failure = diagnose ? tls.diagnose(handshake.cause(), engine, directTls) : null;
            return new Outcome(null, failure, handshake.cause(), engine);
        } finally {
            channel.close().sync();
        }
    }
}
