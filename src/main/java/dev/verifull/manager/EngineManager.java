package dev.verifull.manager;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.verifull.audit.AuditLog;
import dev.verifull.engine.ClientAdmission;
import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.NettyTransport;
import dev.verifull.engine.ProxyEngine;
import dev.verifull.engine.SessionListener;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator;
import dev.verifull.sessions.SessionAuditor;
import dev.verifull.sessions.SessionFeed;
import dev.verifull.tailnet.AccessRules;
import dev.verifull.tailnet.TailnetBinding;
import dev.verifull.tailnet.TailnetCertificates;
import dev.verifull.tailnet.TailscaleAdmission;
import dev.verifull.tailnet.TailscaleServices;
import dev.verifull.tailscale.LocalApiSettings;
import dev.verifull.tailscale.TailscaleStatus;
import dev.verifull.tls.LocalCa;
import dev.verifull.tls.UpstreamTls;

/**
 * Runs one engine per started profile on a shared event loop group (a low-latency profile gets
 * loops of its own). Start and stop return futures and never block the caller; status changes go
 * to listeners on a background thread. One profile failing (bad CA file, port in use) never
 * affects the others.
 */
public final class EngineManager implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final NettyTransport transport;
    private final Path localCaDir;
    private final AuditLog audit;
    private final SessionFeed feed = new SessionFeed();
    private final Map<String, ProxyEngine> engines = new ConcurrentHashMap<>();
    private final Map<String, NettyTransport> ownTransports = new ConcurrentHashMap<>();
    private final Map<String, ProfileStatus> statuses = new ConcurrentHashMap<>();
    private final List<Consumer<ProfileStatus>> listeners = new CopyOnWriteArrayList<>();
    private final List<SessionListener> sessionListeners = new CopyOnWriteArrayList<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "verifull-engines");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, TailnetBinding> bindings = new ConcurrentHashMap<>();
    private final Supplier<TailscaleServices> tailscaleFactory;
    private volatile LocalCa localCa;
    private TailscaleServices tailscale; // guarded by this; made for the first tailnet profile

    /** @param audit may be null (no audit log) */
    public EngineManager(NettyTransport transport, Path localCaDir, AuditLog audit) {
        this(transport, localCaDir, audit, () -> TailscaleServices.discover(LocalApiSettings.defaults()));
    }

    /** @param tailscale makes the link to tailscaled when the first tailnet profile starts */
    public EngineManager(NettyTransport transport, Path localCaDir, AuditLog audit, Supplier<TailscaleServices> tailscale) {
        this.transport = transport;
        this.localCaDir = localCaDir;
        this.audit = audit;
        this.tailscaleFactory = tailscale;
    }

    public SessionFeed sessions() {
        return feed;
    }

    public void addStatusListener(Consumer<ProfileStatus> listener) {
        listeners.add(listener);
    }

    /** Also told about every session event of every engine (e.g. tray notifications). */
    public void addSessionListener(SessionListener listener) {
        sessionListeners.add(listener);
    }

    public ProfileStatus status(String profile) {
        return statuses.getOrDefault(profile, ProfileStatus.stopped(profile));
    }

    public List<ProfileStatus> statuses() {
        return new ArrayList<>(statuses.values());
    }

    public boolean endSession(String profile, long sessionId) {
        ProxyEngine e = engines.get(profile);
        return e != null && e.endSession(sessionId);
    }

    /** Starts the profile's engine (restarts it if running, e.g. after an edit). */
    public CompletableFuture<ProfileStatus> start(Profile profile) {
        return CompletableFuture.supplyAsync(() -> {
            stopNow(profile.name());
            publish(new ProfileStatus(profile.name(), EngineStatus.STARTING, null, List.of()));
            try {
                if (profile.binding() == Profile.Binding.TAILNET) return startOnTailnet(profile);
                List<InetSocketAddress> listen = EngineConfigs.loopback(profile.listenPort());
                EngineConfig config = EngineConfigs.build(profile, listen, List.of(), localCa(), new LocalOnlyAdmission());
                ProxyEngine engine = new ProxyEngine(config, transportFor(profile));
                engine.addListener(feed);
                if (audit != null) engine.addListener(new SessionAuditor(audit));
                engine.addListener(event -> sessionListeners.forEach(l -> l.onSessionEvent(event)));
                List<InetSocketAddress> bound = engine.start().join();
                engines.put(profile.name(), engine);
                feed.addLiveSource(profile.name(), engine::sessions);
                return publish(new ProfileStatus(profile.name(), EngineStatus.RUNNING, null, bound));
            } catch (Exception e) {
                closeOwnTransport(profile.name());
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                return publish(new ProfileStatus(profile.name(), EngineStatus.ERROR,
                        cause.getMessage() != null ? cause.getMessage() : cause.toString(), List.of()));
            }
        }, background);
    }

    /**
     * A tailnet profile: the engine starts listening nowhere, and a {@link TailnetBinding} binds
     * it to the Tailscale addresses once Tailscale runs; its status follows (waiting, running,
     * bind errors). Clients are identified by Tailscale and checked against the profile's rules.
     */
    private ProfileStatus startOnTailnet(Profile profile) throws Exception {
        TailscaleServices ts = tailscale();
        UpstreamTls upstream = EngineConfigs.upstreamTls(profile);
        TailnetStatusEvents events = new TailnetStatusEvents(profile.name());
        TailnetCertificates certificates = new TailnetCertificates(localCa(), ts::certificates,
                upstream.settings().provider(), List.of(), events::certificateNote);
        ClientAdmission admission = new TailscaleAdmission(ts.whois(), ts::thisMachine, AccessRules.forProfile(profile), profile.name());
        ProxyEngine engine = new ProxyEngine(EngineConfigs.build(profile, List.of(), upstream, certificates.context(), admission),
                transportFor(profile));
        events.engine = engine;
        engine.addListener(feed);
        if (audit != null) engine.addListener(new SessionAuditor(audit));
        engine.addListener(event -> sessionListeners.forEach(l -> l.onSessionEvent(event)));
        engine.start().join();
        engines.put(profile.name(), engine);
        feed.addLiveSource(profile.name(), engine::sessions);
        // Published before the binding can report anything newer.
        publish(new ProfileStatus(profile.name(), EngineStatus.WAITING_FOR_TAILSCALE, "waiting for Tailscale", List.of()));
        bindings.put(profile.name(), new TailnetBinding(engine, profile.listenPort(), ts.watcher(), certificates, events).start());
        return status(profile.name());
    }

    /**
     * The shared event loops, or for a profile that busy-polls, loops of its own: polling is a
     * property of a loop, and the other profiles' engines should not keep a processor busy.
     */
    private NettyTransport transportFor(Profile profile) {
        if (profile.busyPollMicros() == 0) return transport;
        String problem = ProfileValidator.busyPoll(profile.busyPollMicros());
        if (problem != null) throw new IllegalArgumentException("profile '" + profile.name() + "': " + problem);
        NettyTransport own = NettyTransport.create(transport.eventLoops(), profile.busyPollMicros());
        ownTransports.put(profile.name(), own);
        return own;
    }

    private void closeOwnTransport(String profile) {
        NettyTransport own = ownTransports.remove(profile);
        if (own != null) own.close();
    }

    private synchronized TailscaleServices tailscale() {
        if (tailscale == null) tailscale = tailscaleFactory.get();
        return tailscale;
    }

    /** Turns a tailnet binding's reports into the profile's status; a stopped engine's late reports are dropped. */
    private final class TailnetStatusEvents implements TailnetBinding.Events {
        private final String profile;
        private volatile ProxyEngine engine;
        private volatile String certificateNote;
        private volatile String ignoredNote; // addresses the status listed outside Tailscale's ranges

        TailnetStatusEvents(String profile) {
            this.profile = profile;
        }

        void certificateNote(String note) {
            certificateNote = note;
        }

        @Override
        public void waiting(TailscaleStatus status) {
            publishIfCurrent(new ProfileStatus(profile, EngineStatus.WAITING_FOR_TAILSCALE,
                    withIgnored(TailnetBinding.waitingText(status)), List.of()));
        }

        @Override
        public void listening(List<InetSocketAddress> addresses, TailscaleStatus status, String certificate) {
            String note = certificateNote;
            publishIfCurrent(new ProfileStatus(profile, EngineStatus.RUNNING,
                    withIgnored("clients get " + certificate + (note != null && certificate.startsWith("the local CA") ? " (" + note + ")" : "")),
                    addresses));
        }

        @Override
        public void ignoredAddresses(List<InetAddress> ignored, TailscaleStatus status) {
            ignoredNote = ignored.isEmpty() ? null : TailnetBinding.ignoredText(ignored);
            ProfileStatus now = statuses.get(profile);
            if (ignoredNote != null && now != null && now.detail() != null && !now.detail().contains(ignoredNote)) {
                publishIfCurrent(new ProfileStatus(profile, now.status(), withIgnored(now.detail()), now.addresses()));
            }
        }

        private String withIgnored(String detail) {
            String note = ignoredNote;
            return note == null ? detail : detail + "; " + note;
        }

        @Override
        public void bindFailed(Throwable failure, TailscaleStatus status) {
            List<InetSocketAddress> bound = engine.boundAddresses();
            publishIfCurrent(new ProfileStatus(profile, bound.isEmpty() ? EngineStatus.ERROR : EngineStatus.RUNNING,
                    failure.getMessage() + " (trying again)", bound));
        }

        private void publishIfCurrent(ProfileStatus s) {
            if (engine != null && engines.get(profile) == engine) publish(s);
        }
    }

    public CompletableFuture<ProfileStatus> stop(String profile) {
        return CompletableFuture.supplyAsync(() -> {
            stopNow(profile);
            return publish(ProfileStatus.stopped(profile));
        }, background);
    }

    /** Forgets a deleted or renamed profile. */
    public CompletableFuture<Void> remove(String profile) {
        return CompletableFuture.runAsync(() -> {
            stopNow(profile);
            statuses.remove(profile);
        }, background);
    }

    private void stopNow(String profile) {
        TailnetBinding binding = bindings.remove(profile);
        if (binding != null) binding.close();
        ProxyEngine e = engines.remove(profile);
        if (e != null) {
            feed.removeLiveSource(profile);
            e.stop(STOP_GRACE).join();
        }
        closeOwnTransport(profile);
    }

    private LocalCa localCa() throws dev.verifull.tls.TlsConfigException {
        if (localCa == null) localCa = LocalCa.loadOrCreate(localCaDir);
        return localCa;
    }

    private ProfileStatus publish(ProfileStatus s) {
        statuses.put(s.profile(), s);
        for (Consumer<ProfileStatus> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException ignored) {
                // one faulty listener must not stop the others
            }
        }
        return s;
    }

    /** Stops every engine (sessions get the grace period) and the background thread. */
    @Override
    public void close() {
        CompletableFuture.runAsync(() -> new ArrayList<>(engines.keySet()).forEach(this::stopNow), background).join();
        background.shutdown();
        synchronized (this) {
            if (tailscale != null) tailscale.close();
        }
    }
}
