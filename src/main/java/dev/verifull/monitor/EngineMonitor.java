package dev.verifull.monitor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.verifull.check.CertificateExpiry;
import dev.verifull.check.ExpiryNotices;
import dev.verifull.check.UpstreamHealth;
import dev.verifull.check.UpstreamTester;
import dev.verifull.check.UpstreamWatch;
import dev.verifull.engine.EngineState;
import dev.verifull.engine.pg.ProxyEngine;
import dev.verifull.manager.EngineSpec;
import dev.verifull.metrics.EngineMetrics;
import dev.verifull.metrics.Exposition;
import dev.verifull.metrics.TrustReloadMetrics;
import dev.verifull.metrics.Health;
import dev.verifull.metrics.HealthEndpoint;
import dev.verifull.metrics.UpstreamMetrics;
import dev.verifull.profile.Profile;
import dev.verifull.text.Printable;

/**
 * What one engine says about its upstream and shows to monitors, for {@code serve} and the app's
 * profiles alike: a line once the first check ("Test upstream", {@link UpstreamTester}) answers
 * and on every change after it, expiry warnings at most once a day per certificate, and, when
 * told where ({@link #listen}), the {@code /metrics}, {@code /healthz} and {@code /readyz}
 * endpoints, re-checking the upstream every {@link UpstreamHealth#RECHECK} while no session
 * proves it verified.
 */
public final class EngineMonitor implements AutoCloseable {
    private final EngineSpec spec;
    private final ProxyEngine engine;
    private final Consumer<String> say;
    private final Clock clock = Clock.systemUTC();
    private final Profile upstream;
    private final UpstreamHealth health;
    private final EngineMetrics metrics;
    private final ExecutorService tests = Executors.newSingleThreadExecutor(r -> daemon(r, "verifull-upstream-check"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "verifull-recheck"));
    private final UpstreamWatch watch;
    /** Only used on the watch's thread. */
    private final ExpiryNotices expiryNotices = new ExpiryNotices(ZoneOffset.UTC);
    private UpstreamWatch.State said;
    private HealthEndpoint endpoint;

    /** @param say gets each line to tell the operator (without a prefix); on the monitor's threads */
    private final TrustReloadMetrics trustReloads = new TrustReloadMetrics();

    public EngineMonitor(EngineSpec spec, ProxyEngine engine, Consumer<String> say) {
        this.spec = spec;
        this.engine = engine;
        this.say = say;
        this.upstream = spec.upstreamProfile();
        this.health = new UpstreamHealth(spec.upstreamTls().caFiles(), clock);
        this.metrics = new EngineMetrics(engine::sessions, clock);
        this.watch = new UpstreamWatch((p, executor) -> UpstreamTester.test(p, executor), tests, this::verdict);
        engine.addListener(metrics);
        engine.addUpstreamObserver(metrics);
        engine.addListener(health);
        engine.addListener(watch);
        engine.config().upstreamTls().addReloadListener(trustReloads::accept);
    }

    /**
     * For the app's engines: a profile with a metrics port gets {@code /metrics}, {@code /healthz}
     * and {@code /readyz} on 127.0.0.1 while it runs, as {@code serve --metrics-listen} does; null
     * for one without. Its lines are for a log the app does not keep yet (the profile's own view
     * shows the upstream's state and expiry).
     */
    public static EngineMonitor forMetricsPort(EngineSpec spec, ProxyEngine engine) throws IOException, InterruptedException {
        if (spec.metricsListen() == null) return null;
        EngineMonitor monitor = new EngineMonitor(spec, engine, line -> { });
        try {
            monitor.listen(spec.metricsListen());
        } catch (IOException | InterruptedException | RuntimeException e) {
            monitor.close();
            throw e;
        }
        monitor.started();
        return monitor;
    }

    /** Binds the metrics address; before the engine listens, so a wrong address stops serve early. */
    public void listen(InetSocketAddress a) throws IOException, InterruptedException {
        endpoint = HealthEndpoint.start(a, this::exposition, () -> Health.ok("verifull serve is running"), this::readiness);
        InetSocketAddress bound = endpoint.address();
        String host = bound.getAddress().getHostAddress();
        say.accept("metrics on http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort()
                + "/metrics (health: /healthz, /readyz)");
        timer.scheduleWithFixedDelay(() -> {
            if (health.checkDue()) watch.checkNow(upstream.name());
        }, UpstreamHealth.RECHECK.toSeconds(), UpstreamHealth.RECHECK.toSeconds(), TimeUnit.SECONDS);
    }

    /** The engine listens: check the upstream now. */
    public void started() {
        watch.started(upstream);
    }

    /** Null when not listening for metrics. */
    public InetSocketAddress metricsAddress() {
        return endpoint == null ? null : endpoint.address();
    }

    private Health readiness() {
        EngineState state = engine.state();
        if (state != EngineState.RUNNING) return Health.notOk("the engine is " + state.name().toLowerCase(java.util.Locale.ROOT));
        String upstreamState = health.describe();
        return health.verifiedRecently() ? Health.ok(upstreamState) : Health.notOk(upstreamState);
    }

    private String exposition() {
        Exposition out = new Exposition();
        metrics.write(out);
        trustReloads.write(out);
        Instant now = clock.instant();
        UpstreamMetrics.write(out, health.verifiedRecently(), health.lastVerified(), health.expiries().stream()
                .map(e -> new UpstreamMetrics.Expiry(e.role().label(), e.subject(), e.source(), e.daysLeft(now))).toList());
        return out.toString();
    }

    /** On the watch's thread. */
    private void verdict(UpstreamWatch.Verdict v) {
        health.accept(v);
        if (v.state() != UpstreamWatch.State.CHECKING && v.state() != said) {
            if (v.state() == UpstreamWatch.State.VERIFIED) {
                var t = v.lastTest();
                say.accept("upstream " + upstream.upstreamHost() + ":" + upstream.upstreamPort() + " verified"
                        + (t != null && t.ok() && said == null ? " (" + t.tlsVersion() + ", certificate "
                        + Printable.escape(t.serverCertificate() == null ? "?" : t.serverCertificate().subject()) + ")" : ""));
            } else {
                say.accept("upstream " + upstream.upstreamHost() + ":" + upstream.upstreamPort() + " NOT verified"
                        + (said == null ? " (serving anyway: clients are refused until it is)" : "") + ": "
                        + Printable.escape(v.message()));
            }
            said = v.state();
        }
        Instant now = clock.instant();
        for (CertificateExpiry e : expiryNotices.due(upstream.name(), health.expiries(), now)) {
            say.accept("warning: " + Printable.escape(e.warning(now)));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        watch.close();
        tests.shutdownNow();
        if (endpoint != null) endpoint.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
