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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.verifull.audit.AuditLog;
import dev.verifull.logging.Log;
import dev.verifull.engine.NettyTransport;
import dev.verifull.engine.SessionListener;
import dev.verifull.profile.Profile;
import dev.verifull.sessions.SessionAuditor;
import dev.verifull.sessions.SessionFeed;
import dev.verifull.tailnet.TailnetBinding;
import dev.verifull.tailnet.TailscaleServices;
import dev.verifull.tailscale.TailscaleStatus;

/**
 * Runs one engine per started profile on a shared event loop group (a low-latency profile gets
 * loops of its own). Start and stop return futures and never block the caller; status changes go
 * to listeners on a background thread. One profile failing (bad CA file, port in use) never
 * affects the others. Each profile becomes an {@link EngineSpec} and then an engine through
 * {@link EngineAssembly}, as {@code verifull serve} does it.
 */
public final class EngineManager implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /**
     * How long a stop may take beyond the grace period (the engine's own hard deadline is 5 s)
     * before the manager gives up waiting, says so in the log and goes on: a stuck engine must
     * not keep the app from quitting or every later start and stop from running.
     */
    private static final Duration STOP_WAIT = STOP_GRACE.plusSeconds(15);

    private final Path localCaDir;
    private final AuditLog audit;
    private final EngineAssembly assembly;
    private final SessionFeed feed = new SessionFeed();
    private final Map<String, AssembledEngine> engines = new ConcurrentHashMap<>();
    private final Map<String, ProfileStatus> statuses = new ConcurrentHashMap<>();
    private final List<Consumer<ProfileStatus>> listeners = new CopyOnWriteArrayList<>();
    private final List<SessionListener> sessionListeners = new CopyOnWriteArrayList<>();
    /** What {@link #attachToEngines} gave for each running engine, closed when it stops. */
    private final Map<String, AutoCloseable> attached = new ConcurrentHashMap<>();
    private volatile EngineAttachment attachment;

    /**
     * Something that runs alongside each engine while it runs (the app's metrics and health
     * endpoints): told once the engine listens, closed when it stops. A failure stops the engine
     * and becomes its status (e.g. the metrics port is taken).
     */
    @FunctionalInterface
    public interface EngineAttachment {
        /** @return closed when the engine stops; null when nothing needs closing */
        AutoCloseable attach(EngineSpec spec, dev.verifull.engine.pg.ProxyEngine engine) throws Exception;
    }
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "verifull-engines");
        t.setDaemon(true);
        return t;
    });

    /** @param audit may be null (no audit log) */
    public EngineManager(NettyTransport transport, Path localCaDir, AuditLog audit) {
        this(transport, localCaDir, audit, null);
    }

    /**
     * @param tailscale makes the link to tailscaled when the first tailnet profile starts; null finds
     *                  tailscaled the way the tailscale CLI does
     */
    public EngineManager(NettyTransport transport, Path localCaDir, AuditLog audit, Supplier<TailscaleServices> tailscale) {
        this.localCaDir = localCaDir;
        this.audit = audit;
        this.assembly = new EngineAssembly(transport,
                tailscale != null ? settings -> tailscale.get() : TailscaleServices::discover);
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

    /** From now on, every engine started gets {@code a} (engines already running do not). */
    public void attachToEngines(EngineAttachment a) {
        attachment = a;
    }

    public ProfileStatus status(String profile) {
        return statuses.getOrDefault(profile, ProfileStatus.stopped(profile));
    }

    public List<ProfileStatus> statuses() {
        return new ArrayList<>(statuses.values());
    }

    public boolean endSession(String profile, long sessionId) {
        AssembledEngine e = engines.get(profile);
        return e != null && e.engine().endSession(sessionId);
    }

    /**
     * Starts the profile's engine (restarts it if running, e.g. after an edit). A tailnet profile's
     * engine starts listening nowhere and follows the Tailscale addresses once Tailscale runs; its
     * status follows (waiting, running, bind errors).
     */
    public CompletableFuture<ProfileStatus> start(Profile profile) {
        return CompletableFuture.supplyAsync(() -> {
            String name = profile.name();
            ProfileStatus retrusted = retrustInPlace(profile);
            if (retrusted != null) return retrusted;
            stopNow(name);
            publish(new ProfileStatus(name, EngineStatus.STARTING, null, List.of()));
            AssembledEngine engine = null;
            try {
                EngineSpec spec = EngineSpec.builder().localCaDir(localCaDir).buildOver(profile);
                TailnetStatusEvents events = new TailnetStatusEvents(name);
                engine = assembly.assemble(spec, events::certificateNote);
                engine.engine().addListener(feed);
                if (audit != null) engine.engine().addListener(new SessionAuditor(audit));
                Log log = Log.of(EngineManager.class, name);
                engine.engine().addListener(event -> log.info(dev.verifull.sessions.SessionLogLine.message(event)));
                engine.engine().addListener(event -> sessionListeners.forEach(l -> l.onSessionEvent(event)));
                AssembledEngine made = engine;
                // Trust files changed on disk (noticed at a new connection): the status says whether they were taken.
                engine.engine().config().upstreamTls().addReloadListener(r -> background.execute(() -> {
                    if (engines.get(name) == made) publish(status(name));
                }));
                List<InetSocketAddress> bound = engine.start().join();
                EngineAttachment a = attachment;
                AutoCloseable alongside = a == null ? null : a.attach(spec, engine.engine());
                if (alongside != null) attached.put(name, alongside);
                events.engine = engine;
                engines.put(name, engine);
                feed.addLiveSource(name, engine.engine()::sessions);
                if (!spec.onTailnet()) return publish(new ProfileStatus(name, EngineStatus.RUNNING, null, bound));
                // Published before the binding can report anything newer.
                publish(new ProfileStatus(name, EngineStatus.WAITING_FOR_TAILSCALE, "waiting for Tailscale", List.of()));
                engine.followTailnet(events);
                return status(name);
            } catch (Exception e) {
                if (engine != null && !engines.containsValue(engine)) engine.close();
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                // a bad file or a port in use is told in the status; anything else is a bug worth its trace
                if (cause instanceof RuntimeException) Log.of(EngineManager.class, name).error("engine did not start", cause);
                return publish(new ProfileStatus(name, EngineStatus.ERROR,
                        cause.getMessage() != null ? cause.getMessage() : cause.toString(), List.of()));
            }
        }, background);
    }

    /**
     * A running profile edited only in its trust (CA files, client certificate and key, TLS 1.3
     * only) keeps its engine: new sessions use the new trust, live sessions go on. Returns null
     * when the engine must be restarted instead.
     */
    private ProfileStatus retrustInPlace(Profile profile) {
        AssembledEngine running = engines.get(profile.name());
        if (running == null) return null;
        EngineSpec spec;
        try {
            spec = EngineSpec.builder().localCaDir(localCaDir).buildOver(profile);
        } catch (InvalidSpecException e) {
            return null; // the restart reports it
        }
        EngineSpec old = running.spec();
        if (spec.upstreamTls().provider() != old.upstreamTls().provider() || !spec.withUpstreamTls(old.upstreamTls()).equals(old)) {
            return null;
        }
        running.engine().config().upstreamTls().replace(spec.upstreamTls(), "profile edited");
        return publish(status(profile.name()));
    }

    /** Turns a tailnet binding's reports into the profile's status; a stopped engine's late reports are dropped. */
    private final class TailnetStatusEvents implements TailnetBinding.Events {
        private final String profile;
        private volatile AssembledEngine engine;
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
            List<InetSocketAddress> bound = engine.engine().boundAddresses();
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
        AutoCloseable alongside = attached.remove(profile);
        if (alongside != null) {
            try {
                alongside.close();
            } catch (Exception ignored) {
                // its trouble must not keep the engine running
            }
        }
        AssembledEngine e = engines.remove(profile);
        if (e != null) {
            feed.removeLiveSource(profile);
            awaitStop(profile, e.stop(STOP_GRACE));
        }
    }

    private static void awaitStop(String profile, CompletableFuture<Void> stopping) {
        try {
            stopping.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            Log.of(EngineManager.class, profile).error("the engine did not stop within " + STOP_WAIT.toSeconds()
                    + " s; going on without it (a bug: please send this log)");
        } catch (java.util.concurrent.ExecutionException e) {
            Log.of(EngineManager.class, profile).error("the engine failed while stopping", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ProfileStatus publish(ProfileStatus s) {
        AssembledEngine engine = engines.get(s.profile());
        if (engine != null) {
            // Every status of a running engine says whether its last trust reload failed.
            TrustReloadStatus.Snapshot trust = engine.trustReloads().snapshot();
            s = s.withTrustError(trust.failing() ? TrustReloadStatus.describe(trust.lastAttempt()) : null);
        }
        ProfileStatus was = statuses.put(s.profile(), s);
        if (was == null || was.status() != s.status() || !java.util.Objects.equals(was.detail(), s.detail())) {
            Log log = Log.of(EngineManager.class, s.profile());
            String line = s.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + (s.detail() != null ? ": " + s.detail() : "")
                    + (s.addresses().isEmpty() ? "" : " (" + s.addresses().size() + " address" + (s.addresses().size() == 1 ? ")" : "es)"));
            if (s.status() == EngineStatus.ERROR) log.warn(line);
            else log.info(line);
        }
        for (Consumer<ProfileStatus> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                // one faulty listener must not stop the others; the failure still belongs in the log
                Log.of(EngineManager.class, s.profile()).error("a status listener failed", e);
            }
        }
        return s;
    }

    /** Stops every engine (sessions get the grace period) and the background thread. */
    @Override
    public void close() {
        var stopping = CompletableFuture.runAsync(() -> new ArrayList<>(engines.keySet()).forEach(this::stopNow), background);
        try {
            // each stop is bounded; this bounds a background thread stuck elsewhere
            stopping.get(STOP_WAIT.toSeconds() * Math.max(1, engines.size()) + 30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            Log.of(EngineManager.class).error("engines did not all stop; closing anyway", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        background.shutdown();
        assembly.close();
    }
}
