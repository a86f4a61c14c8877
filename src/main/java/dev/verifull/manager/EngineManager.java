package dev.verifull.manager;

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

import dev.verifull.audit.AuditLog;
import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.NettyTransport;
import dev.verifull.engine.ProxyEngine;
import dev.verifull.engine.SessionListener;
import dev.verifull.profile.Profile;
import dev.verifull.tls.LocalCa;

/**
 * Runs one engine per started profile on a shared event loop group. Start and stop return
 * futures and never block the caller; status changes go to listeners on a background thread.
 * One profile failing (bad CA file, port in use) never affects the others.
 */
public final class EngineManager implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final NettyTransport transport;
    private final Path localCaDir;
    private final AuditLog audit;
    private final SessionFeed feed = new SessionFeed();
    private final Map<String, ProxyEngine> engines = new ConcurrentHashMap<>();
    private final Map<String, ProfileStatus> statuses = new ConcurrentHashMap<>();
    private final List<Consumer<ProfileStatus>> listeners = new CopyOnWriteArrayList<>();
    private final List<SessionListener> sessionListeners = new CopyOnWriteArrayList<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "verifull-engines");
        t.setDaemon(true);
        return t;
    });
    private volatile LocalCa localCa;

    /** @param audit may be null (no audit log) */
    public EngineManager(NettyTransport transport, Path localCaDir, AuditLog audit) {
        this.transport = transport;
        this.localCaDir = localCaDir;
        this.audit = audit;
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
                if (profile.binding() != Profile.Binding.LOCAL_ONLY) {
                    return publish(new ProfileStatus(profile.name(), EngineStatus.ERROR,
                            "tailnet binding needs the Tailscale integration; choose local-only for now", List.of()));
                }
                List<InetSocketAddress> listen = EngineConfigs.loopback(profile.listenPort());
                EngineConfig config = EngineConfigs.build(profile, listen, List.of(), localCa(), new LocalOnlyAdmission());
                ProxyEngine engine = new ProxyEngine(config, transport);
                engine.addListener(feed);
                if (audit != null) engine.addListener(new SessionAuditor(audit));
                engine.addListener(event -> sessionListeners.forEach(l -> l.onSessionEvent(event)));
                List<InetSocketAddress> bound = engine.start().join();
                engines.put(profile.name(), engine);
                feed.addLiveSource(profile.name(), engine::sessions);
                return publish(new ProfileStatus(profile.name(), EngineStatus.RUNNING, null, bound));
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                return publish(new ProfileStatus(profile.name(), EngineStatus.ERROR,
                        cause.getMessage() != null ? cause.getMessage() : cause.toString(), List.of()));
            }
        }, background);
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
        ProxyEngine e = engines.remove(profile);
        if (e == null) return;
        feed.removeLiveSource(profile);
        e.stop(STOP_GRACE).join();
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
    }
}
