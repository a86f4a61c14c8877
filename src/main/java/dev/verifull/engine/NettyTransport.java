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
import io.netty.channel.uring.IoUringAdaptiveBufferRingAllocator;
import io.netty.channel.uring.IoUringBufferRingConfig;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.MultithreadEventExecutorGroup;

/**
 * An event loop group with the matching channel classes: Linux io_uring where the kernel offers
 * it, otherwise the JDK's NIO; native epoll when asked for. One group is shared by all engines of
 * a process. Connections are made through {@link #server()} and {@link #connection}, which set
 * what the transport's sockets need.
 *
 * @param bufferRing whether io_uring connections receive into the loop's shared buffer ring
 */
public record NettyTransport(EventLoopGroup group, Class<? extends ServerChannel> serverChannel,
                             Class<? extends Channel> socketChannel, boolean bufferRing) implements AutoCloseable {
    /** System property that picks the transport: io_uring (default where available), epoll or nio. */
    public static final String PROPERTY = "verifull.transport";
    /**
     * System property: {@code false} makes io_uring connections wait for readiness and then
     * receive into a buffer of their own, as before the buffer ring (the benchmark's "noring").
     */
    public static final String BUFFER_RING_PROPERTY = "verifull.bufferRing";
    private static final short BUFFER_GROUP = 0;
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
            boolean ring = IoUring.isRegisterBufferRingSupported() && IoUring.isRecvMultishotEnabled()
                    && !"false".equalsIgnoreCase(System.getProperty(BUFFER_RING_PROPERTY, "").trim());
            try {
                return new NettyTransport(new MultiThreadIoEventLoopGroup(threads, factory,
                        polling(IoUringIoHandler.newFactory(ioUringConfig(ring)), pollNanos)),
                        IoUringServerSocketChannel.class, IoUringSocketChannel.class, ring);
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
                    EpollServerSocketChannel.class, EpollSocketChannel.class, false);
        }
        return new NettyTransport(new MultiThreadIoEventLoopGroup(threads, factory, polling(NioIoHandler.newFactory(), pollNanos)),
                NioServerSocketChannel.class, NioSocketChannel.class, false);
    }

    /**
     * With a buffer ring, a connection's receive stays armed in the kernel (multishot) and takes
     * a buffer from the loop's ring when data arrives: a message costs one completion instead of
     * a readiness completion, then a receive submitted for it, then its completion. The benchmark
     * counted 6 → 4 io_uring_enter calls per one-client transaction and +3 % TPS (docs/benchmarks.md,
     * run 9). Buffers are shared by the loop's connections, so idle ones hold none.
     */
    private static IoUringIoHandlerConfig ioUringConfig(boolean ring) {
        IoUringIoHandlerConfig config = new IoUringIoHandlerConfig();
        if (ring) {
            config.setBufferRingConfig(IoUringBufferRingConfig.builder()
                    .bufferGroupId(BUFFER_GROUP)
                    .bufferRingSize((short) 64) // grows in batches up to this; a used buffer's slot is refilled at once
                    .batchSize(16)
                    .allocator(new IoUringAdaptiveBufferRingAllocator())
                    .build());
        }
        return config;
    }

    /** A server bootstrap on this transport's loops whose accepted connections are set up for it. */
    public ServerBootstrap server() {
        ServerBootstrap server = new ServerBootstrap().group(group).channel(serverChannel);
        if (bufferRing) server.childOption(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, BUFFER_GROUP);
        return server;
    }

    /** A bootstrap for one outgoing connection on {@code loop}, one of this transport's loops. */
    public Bootstrap connection(EventLoop loop) {
        Bootstrap connection = new Bootstrap().group(loop).channel(socketChannel);
        if (bufferRing) connection.option(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, BUFFER_GROUP);
        return connection;
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
