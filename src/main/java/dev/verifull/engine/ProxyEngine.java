package dev.verifull.engine;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.verifull.engine.pg.ClientChannelInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;

/**
 * One listener (on one or more addresses) and one verified upstream. Start and stop return
 * futures; nothing here blocks the caller. Knows nothing of any UI.
 */
public final class ProxyEngine {
    private final EngineConfig config;
    private final NettyTransport transport;
    private final SessionRegistry sessions;
    private final EngineContext context;
    private final ExecutorService blocking;
    private final AtomicReference<EngineState> state = new AtomicReference<>(EngineState.STOPPED);
    private final List<Channel> listeners = new ArrayList<>();

    public ProxyEngine(EngineConfig config, NettyTransport transport) {
        this(config, transport, Clock.systemUTC());
    }

    public ProxyEngine(EngineConfig config, NettyTransport transport, Clock clock) {
        this.config = config;
        this.transport = transport;
        this.sessions = new SessionRegistry(config.name(), clock);
        // Host name lookups use the system resolver (hosts file, MagicDNS), which blocks: never on an event loop.
        this.blocking = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "verifull-resolve-" + config.name());
            t.setDaemon(true);
            return t;
        });
        this.context = new EngineContext(config, sessions, new CancelKeys(), transport, blocking, clock);
    }

    public EngineConfig config() {
        return config;
    }

    public EngineState state() {
        return state.get();
    }

    public void addListener(SessionListener listener) {
        sessions.addListener(listener);
    }

    public void removeListener(SessionListener listener) {
        sessions.removeListener(listener);
    }

    /** Snapshots of the live connections, oldest first. */
    public List<SessionRecord> sessions() {
        return sessions.snapshots();
    }

    /** Ends one live session (both connections closed); false if it is not live. */
    public boolean endSession(long id) {
        return sessions.close(id);
    }

    /** The addresses actually bound (ports resolved when 0 was asked). */
    public synchronized List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : listeners) out.add((InetSocketAddress) c.localAddress());
        return out;
    }

    /** Binds every listen address; fails (and binds nothing) if any bind fails. */
    public synchronized CompletableFuture<List<InetSocketAddress>> start() {
        if (!state.compareAndSet(EngineState.STOPPED, EngineState.STARTING)
                && !state.compareAndSet(EngineState.FAILED, EngineState.STARTING)) {
            return CompletableFuture.failedFuture(new IllegalStateException("engine " + config.name() + " is " + state.get()));
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(transport.group())
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ClientChannelInitializer(context));
        CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
        List<ChannelFuture> binds = new ArrayList<>();
        for (InetSocketAddress a : config.listen()) binds.add(b.bind(a));
        CompletableFuture.runAsync(() -> {
            List<Channel> bound = new ArrayList<>();
            Throwable failure = null;
            for (int i = 0; i < binds.size(); i++) {
                ChannelFuture f = binds.get(i).awaitUninterruptibly();
                if (f.isSuccess()) bound.add(f.channel());
                else if (failure == null) failure = new BindFailedException(config.listen().get(i), f.cause());
            }
            synchronized (this) {
                if (failure != null) {
                    bound.forEach(Channel::close);
                    state.set(EngineState.FAILED);
                    result.completeExceptionally(failure);
                } else {
                    listeners.addAll(bound);
                    state.set(EngineState.RUNNING);
                    result.complete(boundAddresses());
                }
            }
        }, blocking);
        return result;
    }

    /**
     * Stops accepting, lets live sessions finish for up to {@code grace}, then closes the rest.
     * Completes when every session has ended.
     */
    public CompletableFuture<Void> stop(Duration grace) {
        List<Channel> toClose;
        synchronized (this) {
            EngineState s = state.get();
            if (s == EngineState.STOPPED || s == EngineState.STOPPING) return CompletableFuture.completedFuture(null);
            state.set(EngineState.STOPPING);
            toClose = new ArrayList<>(listeners);
            listeners.clear();
        }
        return CompletableFuture.runAsync(() -> {
            toClose.forEach(c -> c.close().awaitUninterruptibly());
            long deadline = System.nanoTime() + grace.toNanos();
            while (sessions.liveCount() > 0 && System.nanoTime() < deadline) sleep(50);
            sessions.closeAll();
            long hardDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sessions.liveCount() > 0 && System.nanoTime() < hardDeadline) sleep(20);
            state.set(EngineState.STOPPED);
        }, blocking);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A listen address could not be bound (in use, not local, no permission). */
    public static final class BindFailedException extends Exception {
        private final InetSocketAddress address;

        BindFailedException(InetSocketAddress address, Throwable cause) {
            super("cannot listen on " + address.getHostString() + ":" + address.getPort() + ": " + reason(cause), cause);
            this.address = address;
        }

        public InetSocketAddress address() {
            return address;
        }

        /** Netty's native errors read "bind(..) failed with error(-98): Address already in use": keep the reason. */
        private static String reason(Throwable cause) {
            String m = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            java.util.regex.Matcher nativeError = java.util.regex.Pattern.compile("^\\w+\\(\\.\\.\\) failed[^:]*: (.*)$").matcher(m);
            return nativeError.matches() ? nativeError.group(1).toLowerCase(java.util.Locale.ROOT) : m;
        }
    }
}
