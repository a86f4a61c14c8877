package dev.verifull.manager;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.verifull.engine.ClientAdmission;
import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.LocalOnlyAdmission;
import dev.verifull.engine.NettyTransport;
import dev.verifull.engine.pg.ProxyEngine;
import dev.verifull.profile.AppDataDir;
import dev.verifull.tailnet.ClientCertificateNames;
import dev.verifull.tailnet.TailnetCertificates;
import dev.verifull.tailnet.TailscaleAdmission;
import dev.verifull.tailnet.TailscaleServices;
import dev.verifull.tailscale.LocalApiSettings;
import dev.verifull.tls.ClientTls;
import dev.verifull.tls.LocalCa;
import dev.verifull.tls.TlsConfigException;
import dev.verifull.tls.UpstreamTls;
import io.netty.handler.ssl.SslContext;

/**
 * Turns an {@link EngineSpec} into an engine ready to start, the same way for the app's
 * {@link EngineManager} and for {@code verifull serve}: the verified upstream TLS, the
 * client-facing certificate from the local CA (or, on the tailnet, {@link TailnetCertificates}),
 * the admission that goes with the identity mode, and the I/O threads. One assembly per process:
 * it holds the link to tailscaled that its engines share, and closes it.
 */
public final class EngineAssembly implements AutoCloseable {
    private final NettyTransport shared;
    private final Function<LocalApiSettings, TailscaleServices> tailscaleFactory;
    private final Map<Path, LocalCa> localCas = new ConcurrentHashMap<>();
    private TailscaleServices tailscale; // guarded by this; made for the first engine with Tailscale identity

    /**
     * @param shared    the event loops engines share; null gives every engine loops of its own
     * @param tailscale makes the link to tailscaled when the first engine needs it, from the
     *                  settings of that engine's spec
     */
    public EngineAssembly(NettyTransport shared, Function<LocalApiSettings, TailscaleServices> tailscale) {
        this.shared = shared;
        this.tailscaleFactory = Objects.requireNonNull(tailscale, "tailscale");
    }

    /**
     * Reads the files the spec names and builds the engine; nothing listens yet. Blocks on file
     * I/O: call off the UI thread and event loops.
     *
     * @param certificateNotes told, on the tailnet, when clients cannot get the Tailscale certificate and why
     * @throws TlsConfigException a CA, certificate or key file that cannot be used, or no local CA
     */
    public AssembledEngine assemble(EngineSpec spec, Consumer<String> certificateNotes) throws TlsConfigException {
        UpstreamTls upstream = UpstreamTls.create(spec.upstreamTls());
        LocalCa ca = localCa(spec.localCaDir());
        SslContext clientTls;
        TailnetCertificates tailnet = null;
        if (spec.onTailnet()) {
            tailnet = new TailnetCertificates(ca, domain -> tailscale(spec).certificates(domain), upstream.settings().provider(),
                    spec.clientCertificateNames(), certificateNotes);
            clientTls = tailnet.context();
        } else {
            ClientCertificateNames names = ClientCertificateNames.forListen(spec.listen(), spec.clientCertificateNames());
            clientTls = ClientTls.serverContext(ca.issueServerCertificate(names.dnsNames(), names.addresses()),
                    upstream.settings().provider());
        }
        // Last: nothing below fails, so no threads need ending when the files are wrong.
        TailscaleServices ts = spec.identity() == IdentityMode.TAILSCALE ? tailscale(spec) : null;
        ClientAdmission admission = switch (spec.identity()) {
            case TAILSCALE -> new TailscaleAdmission(ts.whois(), ts::thisMachine, spec.accessRules(), spec.name());
            case LOCAL -> new LocalOnlyAdmission();
            case NONE -> ClientAdmission.ANYONE;
        };
        EngineConfig config = new EngineConfig(spec.name(), spec.listen(), spec.upstreamHost(), spec.upstreamPort(),
                spec.serverName(), spec.directTls(), upstream, clientTls, spec.maxSessions(), spec.handshakeTimeout(),
                spec.connectTimeout(), spec.warmUpstreams(), admission);
        NettyTransport transport = transportFor(spec);
        return new AssembledEngine(new AssembledEngine.Parts(spec, new ProxyEngine(config, transport), transport,
                transport != shared, tailnet, ts != null ? ts.watcher() : null, "the local CA " + ca.certificateFile()));
    }

    /**
     * The shared event loops, or for an engine that busy-polls (or without shared loops) loops of
     * its own: polling is a property of a loop, and other engines should not keep a processor busy.
     */
    private NettyTransport transportFor(EngineSpec spec) {
        if (shared != null && spec.busyPollMicros() == 0) return shared;
        return NettyTransport.create(shared != null ? shared.eventLoops() : 0, spec.busyPollMicros());
    }

    private LocalCa localCa(Path dir) throws TlsConfigException {
        Path directory = dir != null ? dir : AppDataDir.localCa(AppDataDir.resolve());
        LocalCa ca = localCas.get(directory);
        if (ca == null) {
            ca = LocalCa.loadOrCreate(directory);
            localCas.put(directory, ca);
        }
        return ca;
    }

    private synchronized TailscaleServices tailscale(EngineSpec spec) {
        if (tailscale == null) tailscale = tailscaleFactory.apply(LocalApiSettings.defaults().withSocket(spec.tailscaleSocket()));
        return tailscale;
    }

    /** Closes the link to tailscaled, if one was made; stop the engines first. */
    @Override
    public synchronized void close() {
        if (tailscale != null) tailscale.close();
    }
}
