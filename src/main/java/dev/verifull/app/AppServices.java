package dev.verifull.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.verifull.app.profiles.EngineControl;
import dev.verifull.app.profiles.ProfileLibrary;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.app.profiles.ProfileTools;
import dev.verifull.app.tray.RefusalNotices;
import dev.verifull.app.tray.TraySources;
import dev.verifull.app.ui.TailscaleState;
import dev.verifull.app.ui.TailscaleStatusSource;
import dev.verifull.app.ui.Theme;
import dev.verifull.audit.AuditLog;
import dev.verifull.audit.AuditRotation;
import dev.verifull.check.UpstreamWatch;
import dev.verifull.engine.NettyTransport;
import dev.verifull.manager.EngineManager;
import dev.verifull.profile.AppDataDir;
import dev.verifull.sessions.SessionFeed;
import dev.verifull.tailnet.TailscaleServices;

/**
 * Everything the window and the tray share, built once off the FX thread: the engine manager
 * with its audit log, the profile library, the background executor, settings. Closing it stops
 * every engine (their sessions get a short grace period) and flushes the audit log.
 */
public final class AppServices implements AutoCloseable {
    private final Path baseDir;
    private final ExecutorService background;
    private final Executor fx;
    private final NettyTransport transport;
    private final AuditLog audit;
    private final EngineManager engines;
    private final EngineControl engineControl;
    private final ProfileLibrary library;
    private final ProfileTools tools;
    private final TailscaleServices tailscaleLink;
    private final UiSettingsStore settingsStore;
    private final UiSettings initialSettings;
    private final Theme theme;
    private final RefusalNotices notices = new RefusalNotices();
    private final UpstreamWatch upstreamWatch;
    private volatile String auditProblem;
    private final javafx.beans.property.ObjectProperty<TailscaleState> tailscaleState =
            new javafx.beans.property.SimpleObjectProperty<>(TailscaleState.NOT_FOUND);

    /**
     * @param tailscale the link to tailscaled shared by tailnet engines and the status line; null =
     *                  no status line (it says Tailscale was not found) and engines find tailscaled themselves
     * @param fx        runs a task on the FX thread ({@code Platform::runLater} in the app)
     */
    public AppServices(Path baseDir, ProfileStorage storage, ProfileTools tools, TailscaleServices tailscale,
                       BooleanSupplier systemPrefersDark, Executor fx) {
        this.baseDir = baseDir;
        this.fx = fx;
        this.tools = tools;
        this.tailscaleLink = tailscale;
        this.background = Executors.newCachedThreadPool(daemonThreads("verifull-ui-background"));
        this.transport = NettyTransport.create(0);
        this.audit = openAudit(baseDir);
        this.engines = tailscale != null
                ? new EngineManager(transport, AppDataDir.localCa(baseDir), audit, () -> tailscale)
                : new EngineManager(transport, AppDataDir.localCa(baseDir), audit);
        this.engineControl = EngineControl.of(engines);
        this.library = new ProfileLibrary(storage, engineControl, background, fx);
        this.upstreamWatch = new UpstreamWatch(tools::testUpstream, background, verdict -> fx.execute(() -> library.applyVerdict(verdict)));
        library.watchUpstreams(upstreamWatch);
        engines.addSessionListener(upstreamWatch);
        engines.attachToEngines(dev.verifull.monitor.EngineMonitor::forMetricsPort);
        this.settingsStore = new UiSettingsStore(baseDir);
        this.initialSettings = settingsStore.load();
        this.theme = new Theme(initialSettings.appearance(), systemPrefersDark, background, fx);
        TailscaleStatusSource status = tailscale != null
                ? TailscaleStatusSource.of(tailscale.watcher().start()) : TailscaleStatusSource.notFound();
        status.subscribe(state -> fx.execute(() -> tailscaleState.set(state)));
    }

    private AuditLog openAudit(Path base) {
        try {
            return AuditLog.openDirectory(AppDataDir.audit(base), AuditRotation.defaults(), problem -> {
                auditProblem = problem;
                dev.verifull.logging.Log.of(AppServices.class).warn(problem); // says "audit log: ..." itself
            });
        } catch (IOException e) {
            auditProblem = "The audit log could not be opened: " + e.getMessage();
            dev.verifull.logging.Log.of(AppServices.class).error("audit log: cannot open " + AppDataDir.audit(base), e);
            return null;
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public Path baseDir() { return baseDir; }
    public Executor background() { return background; }
    public Executor fx() { return fx; }
    public EngineManager engines() { return engines; }
    public EngineControl engineControl() { return engineControl; }
    public SessionFeed sessions() { return engines.sessions(); }
    public ProfileLibrary library() { return library; }
    public ProfileTools tools() { return tools; }
    /** The latest Tailscale state (FX thread). */
    public javafx.beans.property.ReadOnlyObjectProperty<TailscaleState> tailscaleState() { return tailscaleState; }
    public UiSettings initialSettings() { return initialSettings; }
    public Theme theme() { return theme; }
    public RefusalNotices notices() { return notices; }
    /** What the tray follows. */
    public TraySources traySources() {
        return new TraySources(library, tools, tailscaleState, engines::addSessionListener, notices);
    }
    public Path auditDirectory() { return AppDataDir.audit(baseDir); }
    public Path localCaDirectory() { return AppDataDir.localCa(baseDir); }

    /** Set when the audit log could not be opened or written; null when fine. */
    public String auditProblem() {
        return auditProblem;
    }

    /** Writes the settings in the background; failures only cost the remembered window size. */
    public void saveSettings(UiSettings settings) {
        background.execute(() -> {
            try {
                settingsStore.save(settings);
            } catch (IOException ignored) {
                // next start uses defaults
            }
        });
    }

    /** Blocking: stops engines (grace period), flushes the audit log. Not on the FX thread. */
    @Override
    public void close() {
        try {
            upstreamWatch.close();
            engines.close();
        } finally {
            if (tailscaleLink != null) tailscaleLink.close(); // the engine manager may have closed it already; closing twice is harmless
            if (audit != null) audit.close();
            transport.close();
            background.shutdown();
            try {
                background.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
