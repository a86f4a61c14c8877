package dev.verifull.manager;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.verifull.engine.NettyTransport;
import dev.verifull.engine.pg.ProxyEngine;
import dev.verifull.tailnet.TailnetBinding;
import dev.verifull.tailnet.TailnetCertificates;
import dev.verifull.tailscale.StatusWatcher;
import dev.verifull.tls.TrustReload;

/**
 * One engine as {@link EngineAssembly} made it from its spec, with what it runs on: its I/O
 * threads when it has its own, and on the tailnet the binding that follows this machine's
 * Tailscale addresses. Add session listeners to {@link #engine()}, then {@link #start()};
 * {@link #stop} or {@link #close} ends all of it.
 */
public final class AssembledEngine implements AutoCloseable {
    /**
     * What the assembly made, fixed for the engine's life.
     *
     * @param ownTransport whether {@code transport} was made for this engine alone (ended with it)
     * @param tailnet      the client certificates that follow the Tailscale addresses; null off the tailnet
     *                     and when clients are offered no TLS
     * @param watcher      tailscaled's status, for the binding; null off the tailnet
     * @param certificate  what clients are shown when {@code tailnet} does not say it: "the local CA /x/ca.pem",
     *                     or that they get no TLS
     */
    record Parts(EngineSpec spec, ProxyEngine engine, NettyTransport transport, boolean ownTransport,
                 TailnetCertificates tailnet, StatusWatcher watcher, String certificate) {}

    private final Parts parts;
    private final TrustReloadStatus trustReloads = new TrustReloadStatus();
    private TailnetBinding binding; // guarded by this
    private CompletableFuture<Void> stopped; // guarded by this; the first stop

    AssembledEngine(Parts parts) {
        this.parts = parts;
        parts.engine().config().upstreamTls().addReloadListener(trustReloads);
    }

    /** How the upstream trust was reloaded under this engine (files changed, SIGHUP, profile edited). */
    public TrustReloadStatus trustReloads() {
        return trustReloads;
    }

    /** Loads the upstream trust files again now, changed or not; the last good trust stays if they fail. */
    public TrustReload reloadTrust(String reason) {
        return parts.engine().config().upstreamTls().reload(reason);
    }

    /** The spec the engine was made from. */
    public EngineSpec spec() {
        return parts.spec();
    }

    public ProxyEngine engine() {
        return parts.engine();
    }

    /** The event loops it runs on (its own when it busy-polls). */
    public NettyTransport transport() {
        return parts.transport();
    }

    /**
     * What clients are shown now, e.g. "the local CA /x/ca.pem", "the Tailscale certificate for
     * host.ts.net", or {@link dev.verifull.engine.EngineConfig#NO_CLIENT_TLS}.
     */
    public String certificate() {
        return parts.tailnet() != null ? parts.tailnet().description() : parts.certificate();
    }

    /** Binds the fixed listen addresses; on the tailnet the engine waits, listening nowhere, for {@link #followTailnet}. */
    public CompletableFuture<List<InetSocketAddress>> start() {
        return parts.engine().start();
    }

    /** On the tailnet: from now on the started engine listens on this machine's Tailscale addresses, and only there. */
    public synchronized void followTailnet(TailnetBinding.Events events) {
        if (!parts.spec().onTailnet()) throw new IllegalStateException("engine " + parts.spec().name() + " does not listen on the tailnet");
        if (stopped != null || binding != null) return;
        binding = new TailnetBinding(parts.engine(), parts.spec().tailnetPort(), parts.watcher(), parts.tailnet(), events).start();
    }

    /**
     * Stops following the tailnet and accepting, lets live sessions finish for up to {@code grace},
     * then closes the rest; its own I/O threads end after that.
     */
    public synchronized CompletableFuture<Void> stop(Duration grace) {
        if (stopped != null) return stopped;
        if (binding != null) binding.close();
        binding = null;
        stopped = parts.engine().stop(grace).whenComplete((done, error) -> {
            if (parts.ownTransport()) parts.transport().close();
        });
        return stopped;
    }

    /** Stops at once (e.g. after a failed start), or waits for the stop under way. */
    @Override
    public void close() {
        stop(Duration.ZERO).join();
    }
}
