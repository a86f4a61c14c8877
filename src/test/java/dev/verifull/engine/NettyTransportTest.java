package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.uring.IoUring;

class NettyTransportTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void linuxRelaysWithIoUringByDefault() {
        // The nio test execution (pom) sets the property for the whole JVM.
        assumeTrue(System.getProperty(NettyTransport.PROPERTY) == null, "transport chosen by the test run");
        // Fails on a kernel without io_uring; the CI machine has it (Linux 6.x), and the fallback is tested below.
        assertEquals(true, IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
        try (NettyTransport t = NettyTransport.create(1)) {
            assertEquals("io_uring", t.description());
            assertEquals(1, t.eventLoops());
        }
    }

    /** A connection made through {@code server()} and {@code connection(loop)} carries 4 MiB both ways, in order. */
    @Test
    void connectionsFromItsBootstrapsCarryData() throws Exception {
        byte[] sent = new byte[4 << 20];
        new Random(7).nextBytes(sent);
        try (NettyTransport t = NettyTransport.create(1)) {
            Channel server = t.server().childHandler(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ctx.writeAndFlush(msg); // echo
                }
            }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            ByteBuf received = Unpooled.buffer(sent.length);
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            Channel client = t.connection((EventLoop) t.group().next()).handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf b = (ByteBuf) msg;
                            received.writeBytes(b);
                            b.release();
                            if (received.readableBytes() == sent.length) echoed.complete(ByteBufUtil.getBytes(received));
                        }
                    });
                }
            }).connect((InetSocketAddress) server.localAddress()).sync().channel();
            client.writeAndFlush(Unpooled.wrappedBuffer(sent));
            assertArrayEquals(sent, echoed.get(20, TimeUnit.SECONDS));
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void busyPollingKeepsTheTransport() {
        try (NettyTransport plain = NettyTransport.create(1); NettyTransport polling = NettyTransport.create(1, 50)) {
            assertEquals(plain.description(), polling.description(), "polling wraps io_uring and NIO alike");
        }
    }

    @Test
    void thePropertyPicksNio() {
        String before = System.getProperty(NettyTransport.PROPERTY);
        System.setProperty(NettyTransport.PROPERTY, "nio");
        try (NettyTransport t = NettyTransport.create(2)) {
            assertEquals("nio", t.description());
            assertEquals(2, t.eventLoops());
        } finally {
            if (before == null) System.clearProperty(NettyTransport.PROPERTY);
            else System.setProperty(NettyTransport.PROPERTY, before);
        }
    }
}
