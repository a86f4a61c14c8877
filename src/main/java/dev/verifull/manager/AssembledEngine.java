package dev.verifull.manager;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.verifull.engine.NettyTransport;
import dev.verifull.engine.ProxyEngine;
import dev.verifull.tailnet.TailnetBinding;
import dev.verifull.tailnet.TailnetCertificates;
import dev.verifull.tailscale.StatusWatcher;

/**
 * One engine as {@link EngineAssembly} made it from its spec, with what it runs on: its I/O
 * threads when it has its own, and on the tailnet the binding that follows this machine's
 * Tailscale addresses. Add session listeners to {@link #engine()}, then {@link #start()};
 * {@link #stop} or {@link #close} ends all of it.
 */
public final class AssembledEngine implements AutoCloseable {
    private final EngineSpec spec;
    private final ProxyEngine engine;
    private final NettyTransport transport;
    private final boolean ownTransport;
    private final TailnetCertificates tailnet;
    private final StatusWatcher watcher;
    private final String localCaCertificate;
    private TailnetBinding binding; // guarded by this
    private CompletableFuture<Void> stopped; // guarded by this; the first stop

    AssembledEngine(EngineSpec spec, ProxyEngine engine, NettyTransport transport, boolean ownTransport,
                    TailnetCertificates tailnet, StatusWatcher watcher, String localCaCertificate) {
        this.spec = spec;
        this.engine = engine;
        this.transport = transport;
        this.ownTransport = ownTransport;
        this.tailnet = tailnet;
        this.watcher = watcher;
        this.localCaCertificate = localCaCertificate;
    }

    public EngineSpec spec() {
        return spec;
    }

    public ProxyEngine engine() {
        return engine;
    }

    /** The event loops it runs on (its own when it busy-polls). */
    public NettyTransport transport() {
        return transport;
    }

    /** What clients are shown now, e.g. "the local CA /x/ca.pem" or "the Tailscale certificate for host.ts.net". */
    public String certificate() {
        return tailnet != null ? tailnet.description() : localCaCertificate;
    }

    /** Binds the fixed listen addresses; on the tailnet the engine waits, listening nowhere, for {@link #followTailnet}. */
    public CompletableFuture<List<InetSocketAddress>> start() {
        return engine.start();
    }

    /** On the tailnet: from now on the started engine listens on this machine's Tailscale addresses, and only there. */
    public synchronized void followTailnet(TailnetBinding.Events events) {
        if (tailnet == null) throw new IllegalStateException("engine " + spec.name() + " does not listen on the tailnet");
        if (stopped != null || binding != null) return;
        binding = new TailnetBinding(engine, spec.tailnetPort(), watcher, tailnet, events).start();
    }

    /**
     * Stops following the tailnet and accepting, lets live sessions finish for up to {@code grace},
     * then closes the rest; its own I/O threads end after that.
     */
    public synchronized CompletableFuture<Void> stop(Duration grace) {
        if (stopped != null) return stopped;
        if (binding != null) binding.close();
        binding = null;
        stopped = engine.stop(grace).whenComplete((done, error) -> {
            if (ownTransport) transport.close();
        });
        return stopped;
    }

    /** Stops at once (e.g. after a failed start), or waits for the stop under way. */
    @Override
    public void close() {
        stop(Duration.ZERO).join();
    }
}
