package dev.verifull.engine.pg;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.verifull.engine.CancelKeys;
import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.EngineContext;
import dev.verifull.engine.EngineLimits;
import dev.verifull.engine.EngineState;
import dev.verifull.engine.NettyTransport;
import dev.verifull.engine.SessionEnd;
import dev.verifull.engine.SessionListener;
import dev.verifull.engine.UpstreamObserver;
import dev.verifull.engine.SessionRecord;
import dev.verifull.engine.SessionRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;

/**
 * One listener (on one or more addresses) and one verified upstream. Start and stop return
 * futures; nothing here blocks the caller. Knows nothing of any UI. It lives beside the
 * PostgreSQL handlers it wires into Netty, so {@code engine} (what engines are configured with and
 * report) never needs this package.
 */
public final class ProxyEngine {
    private final EngineConfig config;
    private final NettyTransport transport;
    private final SessionRegistry sessions;
    private final EngineContext context;
    private final ExecutorService blocking;
    private final AtomicReference<EngineState> state = new AtomicReference<>(EngineState.STOPPED);
    private final List<Channel> listeners = new ArrayList<>();
    private final ServerBootstrap bootstrap;
    private final WarmUpstreams warm;
    private final UpstreamCounter upstreamCounter = new UpstreamCounter();
    private final EngineUpstreams upstreams;
    private final StartupPool startups;
    /** The last start or rebind; the next rebind waits for it. Guarded by this. */
    private CompletableFuture<?> binding = CompletableFuture.completedFuture(null);

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
        this.warm = config.warmUpstreams() > 0
                ? new WarmUpstreams(context, upstreamCounter, config.warmUpstreams(), WarmUpstreams.DEFAULT_MAX_AGE) : null;
        this.upstreams = new EngineUpstreams(context, upstreamCounter, warm, EngineLimits.MAX_SPECULATIVE_UPSTREAMS);
        this.startups = new StartupPool(EngineLimits.MAX_UNFINISHED_STARTUPS, EngineLimits.MAX_UNFINISHED_STARTUPS_PER_PEER);
        this.bootstrap = transport.server()
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ClientChannelInitializer(context, upstreams, startups));
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

    /** Hears each upstream attempt's duration and failure kind (metrics). */
    public void addUpstreamObserver(UpstreamObserver observer) {
        sessions.addUpstreamObserver(observer);
    }

    /** Snapshots of the live connections, oldest first. */
    public List<SessionRecord> sessions() {
        return sessions.snapshots();
    }

    /**
     * Connections to the upstream server open now (warm, speculative, sessions', cancel requests'),
     * each holding a server backend.
     */
    public int openUpstreamConnections() {
        return upstreamCounter.open();
    }

    /** Connections to the upstream server opened since this engine was made. */
    public long upstreamConnectionsOpened() {
        return upstreamCounter.opened();
    }

    /** Client connections still in their startup phase (no StartupMessage yet); they hold no session slot. */
    public int unfinishedStartups() {
        return startups.size();
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

    /**
     * Binds every listen address; fails (and binds nothing) if any bind fails. With no listen
     * address the engine waits ({@link EngineState#WAITING}) until {@link #rebind} gives it some.
     */
    public synchronized CompletableFuture<List<InetSocketAddress>> start() {
        if (!state.compareAndSet(EngineState.STOPPED, EngineState.STARTING)
                && !state.compareAndSet(EngineState.FAILED, EngineState.STARTING)) {
            return CompletableFuture.failedFuture(new IllegalStateException("engine " + config.name() + " is " + state.get()));
        }
        CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
        CompletableFuture.runAsync(() -> {
            BindResult r = bindEach(config.listen());
            synchronized (this) {
                if (r.failure() != null) {
                    r.bound().forEach(Channel::close);
                    state.set(EngineState.FAILED);
                    result.completeExceptionally(r.failure());
                } else {
                    listeners.addAll(r.bound());
                    state.set(listeners.isEmpty() ? EngineState.WAITING : EngineState.RUNNING);
                    if (warm != null) warm.start();
                    result.complete(boundAddresses());
                }
            }
        }, blocking);
        binding = result;
        return result;
    }

    /**
     * Moves the listener to {@code addresses} (e.g. this machine's new Tailscale addresses) while
     * live sessions go on: listeners on addresses no longer wanted are closed, missing ones are
     * bound. A wanted port 0 accepts whatever port that address is already bound to. No address
     * at all leaves the engine {@link EngineState#WAITING}. Binding is best effort: addresses
     * that bind stay bound, and the future fails with the first {@link BindFailedException}, so
     * the caller can try again. Calls take effect one after the other, in call order.
     */
    public synchronized CompletableFuture<List<InetSocketAddress>> rebind(List<InetSocketAddress> addresses) {
        List<InetSocketAddress> wanted = List.copyOf(addresses);
        CompletableFuture<List<InetSocketAddress>> result = binding.handle((ignored, error) -> null)
                .thenComposeAsync(ignored -> rebindNow(wanted), blocking);
        binding = result;
        return result;
    }

    // Runs on the blocking pool, one call at a time (chained by rebind).
    private CompletableFuture<List<InetSocketAddress>> rebindNow(List<InetSocketAddress> wanted) {
        List<ChannelFuture> closing = new ArrayList<>();
        List<InetSocketAddress> missing = new ArrayList<>();
        synchronized (this) {
            EngineState s = state.get();
            if (s != EngineState.RUNNING && s != EngineState.WAITING) {
                return CompletableFuture.failedFuture(new IllegalStateException("engine " + config.name() + " is " + s));
            }
            for (Iterator<Channel> it = listeners.iterator(); it.hasNext(); ) {
                Channel c = it.next();
                if (wanted.stream().noneMatch(w -> sameListener(w, c))) {
                    closing.add(c.close());
                    it.remove();
                }
            }
            for (InetSocketAddress w : wanted) {
                if (listeners.stream().noneMatch(c -> sameListener(w, c))) missing.add(w);
            }
            if (listeners.isEmpty()) state.set(EngineState.WAITING);
        }
        // An address given up and wanted again (Tailscale stopped and started) must be free first.
        closing.forEach(ChannelFuture::awaitUninterruptibly);
        BindResult r = bindEach(missing);
        synchronized (this) {
            EngineState s = state.get();
            if (s != EngineState.RUNNING && s != EngineState.WAITING) {
                r.bound().forEach(Channel::close); // stopped meanwhile
                return CompletableFuture.failedFuture(new IllegalStateException("engine " + config.name() + " is " + s));
            }
            listeners.addAll(r.bound());
            state.set(listeners.isEmpty() ? EngineState.WAITING : EngineState.RUNNING);
            return r.failure() != null ? CompletableFuture.failedFuture(r.failure())
                    : CompletableFuture.completedFuture(boundAddresses());
        }
    }

    private static boolean sameListener(InetSocketAddress wanted, Channel listener) {
        InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
        return bound != null && bound.getAddress().equals(wanted.getAddress())
                && (wanted.getPort() == 0 || wanted.getPort() == bound.getPort());
    }

    private record BindResult(List<Channel> bound, BindFailedException failure) {}

    /** Binds each address (blocks: call on the blocking pool); reports what bound and the first failure. */
    private BindResult bindEach(List<InetSocketAddress> addresses) {
        List<ChannelFuture> binds = new ArrayList<>();
        for (InetSocketAddress a : addresses) binds.add(bootstrap.bind(a));
        List<Channel> bound = new ArrayList<>();
        BindFailedException failure = null;
        for (int i = 0; i < binds.size(); i++) {
            ChannelFuture f = binds.get(i).awaitUninterruptibly();
            if (f.isSuccess()) bound.add(f.channel());
            else if (failure == null) failure = new BindFailedException(addresses.get(i), f.cause());
        }
        return new BindResult(bound, failure);
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
            toClose.forEach(c -> c.close().awaitUninterruptibly(5_000)); // bounded: a stop always ends
            if (warm != null) warm.close();
            long deadline = System.nanoTime() + grace.toNanos();
            while (sessions.liveCount() > 0 && System.nanoTime() < deadline) sleep(50);
            // Each session still open is told why before its connections close.
            sessions.closeAll(grace.isZero() ? SessionEnd.Cause.SHUTDOWN : SessionEnd.Cause.GRACE_OVER);
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
