package dev.verifull.engine;

import java.nio.channels.spi.SelectorProvider;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * An event loop group with the matching channel classes: the JDK's NIO transport, or native
 * epoll when asked for. One group is shared by all engines of a process.
 */
public record NettyTransport(EventLoopGroup group, Class<? extends ServerChannel> serverChannel,
                             Class<? extends Channel> socketChannel) implements AutoCloseable {

    /**
     * {@code threads <= 0} picks half the processors (at least one): the benchmark showed that
     * Netty's default of twice the processors costs throughput in context switches, since both
     * connections of a session share one loop and the work per byte is small.
     */
    public static NettyTransport create(int threads) {
        return create(threads, 0);
    }

    /**
     * @param busyPollMicros how long an NIO event loop polls for traffic before it sleeps
     *                       (0 = never): lower latency for a processor kept busy while traffic flows
     */
    public static NettyTransport create(int threads, int busyPollMicros) {
        if (threads <= 0) threads = defaultThreads();
        DefaultThreadFactory factory = new DefaultThreadFactory("verifull-io", true);
        // The JDK's NIO transport by default: under connection churn (pgbench -C) the native epoll
        // transport of Netty 4.2.18 now and then reported a close or half-close that the client
        // never sent (bench/run --smoke failed 1 run in 3-5 with epoll, 0 in 8 with NIO).
        // -Dverifull.transport=epoll opts in to epoll where it loads.
        boolean epoll = "epoll".equalsIgnoreCase(System.getProperty("verifull.transport", ""));
        if (epoll && Epoll.isAvailable()) {
            return new NettyTransport(new MultiThreadIoEventLoopGroup(threads, factory, EpollIoHandler.newFactory()),
                    EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        long pollNanos = busyPollMicros * 1000L;
        IoHandlerFactory nio = pollNanos > 0
                ? NioIoHandler.newFactory(SelectorProvider.provider(), () -> new BusyPollSelectStrategy(pollNanos))
                : NioIoHandler.newFactory();
        return new NettyTransport(new MultiThreadIoEventLoopGroup(threads, factory, nio),
                NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /** The event loops {@code create(0)} makes: half the processors, at least one. */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public String description() {
        return serverChannel == EpollServerSocketChannel.class ? "epoll" : "nio";
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
