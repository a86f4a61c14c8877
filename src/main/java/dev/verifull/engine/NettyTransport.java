package dev.verifull.engine;

import java.net.InetAddress;
import java.util.Locale;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.MultithreadEventExecutorGroup;

/**
 * An event loop group with the matching channel classes: Linux io_uring where the kernel offers
 * it, otherwise the JDK's NIO; native epoll when asked for. One group is shared by all engines of
 * a process. Connections are made through {@link #server()} and {@link #connection}, so that
 * what the transport's sockets need is set in one place.
 *
 * <p>Not used: io_uring's buffer ring (a multishot receive into buffers of the loop), which saved
 * one kernel entry per relayed message but, with Netty 4.2.18, now and then kept receiving after
 * auto-read was turned off, so a client that stopped reading no longer held the server back
 * (docs/benchmarks.md, profile item 13).
 */
public record NettyTransport(EventLoopGroup group, Class<? extends ServerChannel> serverChannel,
                             Class<? extends Channel> socketChannel) implements AutoCloseable {
    /** System property that picks the transport: io_uring (default where available), epoll or nio. */
    public static final String PROPERTY = "verifull.transport";
    private static final String IO_URING = "io_uring";
    private static final String EPOLL = "epoll";

    /**
     * {@code threads <= 0} picks half the processors (at least one): the benchmark showed that
     * Netty's default of twice the processors costs throughput in context switches, since both
     * connections of a session share one loop and the work per byte is small.
     */
    public static NettyTransport create(int threads) {
        return create(threads, 0);
    }

    /**
     * @param busyPollMicros how long an event loop looks for traffic without sleeping before it
     *                       sleeps (0 = never): lower latency for a processor kept busy while
     *                       traffic flows ({@link BusyPollIoHandler})
     */
    public static NettyTransport create(int threads, int busyPollMicros) {
        initialiseInetAddressFirst();
        if (threads <= 0) threads = defaultThreads();
        DefaultThreadFactory factory = new DefaultThreadFactory("verifull-io", true);
        String asked = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        long pollNanos = busyPollMicros * 1000L;
        // io_uring by default where the kernel offers it: the benchmark measured 13 % less proxy CPU
        // per transaction than NIO (reads and writes of a loop iteration go in one submission).
        if ((asked.isEmpty() || asked.equals(IO_URING)) && IoUring.isAvailable()) {
            try {
                return new NettyTransport(new MultiThreadIoEventLoopGroup(threads, factory,
                        polling(IoUringIoHandler.newFactory(), pollNanos)),
                        IoUringServerSocketChannel.class, IoUringSocketChannel.class);
            } catch (RuntimeException e) {
                // The probe's ring was allowed but a full-size one is not (kernels before 5.12
                // charge rings to RLIMIT_MEMLOCK): NIO works everywhere.
            }
        }
        // Native epoll only on request: under connection churn (pgbench -C) Netty 4.2.18's epoll
        // handler delivers an event of a just-closed socket to the new socket that reuses its file
        // descriptor number within the same epoll_wait batch, so now and then a new client is cut
        // off (docs/benchmarks.md, profile item 10).
        if (asked.equals(EPOLL) && Epoll.isAvailable()) {
            return new NettyTransport(new MultiThreadIoEventLoopGroup(threads, factory,
                    polling(EpollIoHandler.newFactory(), pollNanos)),
                    EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return new NettyTransport(new MultiThreadIoEventLoopGroup(threads, factory, polling(NioIoHandler.newFactory(), pollNanos)),
                NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /** A server bootstrap on this transport's loops. */
    public ServerBootstrap server() {
        return new ServerBootstrap().group(group).channel(serverChannel);
    }

    /** A bootstrap for one outgoing connection on {@code loop}, one of this transport's loops. */
    public Bootstrap connection(EventLoop loop) {
        return new Bootstrap().group(loop).channel(socketChannel);
    }

    /** Loads and probes the native transport now, so that {@link #create} later finds it ready. */
    public static void loadNatives() {
        initialiseInetAddressFirst();
        if (IoUring.isAvailable()) return;
        Epoll.isAvailable();
    }

    /**
     * Netty's io_uring and epoll libraries initialise their LinuxSocket class while the JDK holds
     * its lock for loading native libraries, and LinuxSocket's initialiser needs InetAddress, whose
     * own initialiser loads libnet under that same lock. A thread initialising InetAddress at that
     * moment and the loading thread then wait for each other for ever: serve hung before its ready
     * line in about 1 of 10-80 starts (the warm-up thread loading io_uring, the main thread making
     * the engine's address). With InetAddress initialised before the load, neither waits.
     */
    private static void initialiseInetAddressFirst() {
        InetAddress.getLoopbackAddress();
    }

    private static IoHandlerFactory polling(IoHandlerFactory handlers, long pollNanos) {
        return pollNanos > 0 ? BusyPollIoHandler.wrap(handlers, pollNanos) : handlers;
    }

    /** The event loops {@code create(0)} makes: half the processors, at least one. */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public int eventLoops() {
        return ((MultithreadEventExecutorGroup) group).executorCount();
    }

    /** "io_uring", "epoll" or "nio". */
    public String description() {
        if (serverChannel == IoUringServerSocketChannel.class) return IO_URING;
        return serverChannel == EpollServerSocketChannel.class ? EPOLL : "nio";
    }

    @Override
    public void close() {
        // bounded: a loop that does not end in time is left to the JVM's exit rather than hanging the caller
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(10_000);
    }
}
