package dev.verifull.check;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionListener;
import dev.verifull.engine.SessionRecord;
import dev.verifull.profile.Profile;

/**
 * Whether a running profile's upstream can be verified right now, so a profile whose every client
 * is refused does not look fine. Checks with "Test upstream" when the profile starts, and again
 * after a refusal for an upstream reason (wrong CA, wrong name, unreachable, ...) at most once per
 * {@code minInterval} per profile; a session that reached the server proves it verified. Reports a
 * {@link Verdict} per change to the listener, on its own thread. Checks never run on an event loop
 * (the tester gets the background executor) and never log in (Test upstream sends no startup).
 */
public final class UpstreamWatch implements SessionListener, AutoCloseable {
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(30);

    /** Refusals that say the upstream could not be reached or verified. */
    static final Set<RefusalReason> UPSTREAM_REASONS = EnumSet.of(RefusalReason.UPSTREAM_UNREACHABLE,
            RefusalReason.UPSTREAM_NO_TLS, RefusalReason.UPSTREAM_ERROR, RefusalReason.UPSTREAM_PROTOCOL,
            RefusalReason.CERTIFICATE_UNTRUSTED, RefusalReason.CERTIFICATE_SELF_SIGNED, RefusalReason.HOSTNAME_MISMATCH,
            RefusalReason.CERTIFICATE_EXPIRED, RefusalReason.CERTIFICATE_NOT_YET_VALID, RefusalReason.UPSTREAM_TLS_HANDSHAKE);

    public enum State {
        /** The first check since the start has not answered yet. */
        CHECKING,
        VERIFIED,
        NOT_VERIFIED
    }

    /**
     * @param message  the last error in a sentence (the check's diagnosis, or what a refused client
     *                 was told); null when verified or checking
     * @param detail   its facts; null when none
     * @param hint     what to check; null when none
     * @param since    when the profile entered this state
     * @param lastTest the last check's result; null before the first one answered
     * @param expiries the end dates of the server's certificate (as the last check saw it) and of
     *                 every certificate in the profile's CA files, for expiry warnings
     */
    public record Verdict(String profile, State state, String message, String detail, String hint, Instant since,
                          UpstreamTestResult lastTest, List<CertificateExpiry> expiries) {
        public Verdict {
            expiries = expiries == null ? List.of() : List.copyOf(expiries);
        }

        /** A verdict whose expiries are not known (yet). */
        public Verdict(String profile, State state, String message, String detail, String hint, Instant since,
                       UpstreamTestResult lastTest) {
            this(profile, state, message, detail, hint, since, lastTest, List.of());
        }

        public boolean notVerified() {
            return state == State.NOT_VERIFIED;
        }

        /** The certificates that expire within {@link CertificateExpiry#WARN_DAYS} days or have expired. */
        public List<CertificateExpiry> expiringSoon(Instant now) {
            return expiries.stream().filter(e -> e.warrantsWarning(now)).toList();
        }
    }

    /** "Test upstream" for a profile; never completes exceptionally (as {@link UpstreamTester#test}). */
    public interface Tester {
        CompletableFuture<UpstreamTestResult> test(Profile profile, Executor executor);
    }

    private final Tester tester;
    private final Executor background;
    private final Consumer<Verdict> listener;
    private final Duration minInterval;
    private final Clock clock;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "verifull-upstream-watch");
        t.setDaemon(true);
        return t;
    });
    /** Only touched on {@link #loop}. */
    private final Map<String, Watched> watched = new HashMap<>();
    /** Read on event loops to skip events that change nothing without queueing work. */
    private final Map<String, State> states = new ConcurrentHashMap<>();

    private static final class Watched {
        final Profile profile;
        Verdict verdict;
        boolean testing;
        boolean again;
        Instant lastTest;
        ScheduledFuture<?> scheduled;

        Watched(Profile profile) {
            this.profile = profile;
        }
    }

    public UpstreamWatch(Tester tester, Executor background, Consumer<Verdict> listener) {
        this(tester, background, listener, DEFAULT_MIN_INTERVAL, Clock.systemUTC());
    }

    public UpstreamWatch(Tester tester, Executor background, Consumer<Verdict> listener, Duration minInterval, Clock clock) {
        this.tester = tester;
        this.background = background;
        this.listener = listener;
        this.minInterval = minInterval;
        this.clock = clock;
    }

    /** The profile's engine runs (again): check its upstream now. Replaces what was known before. */
    public void started(Profile profile) {
        onLoop(() -> {
            forget(profile.name());
            Watched w = new Watched(profile);
            watched.put(profile.name(), w);
            publish(w, new Verdict(profile.name(), State.CHECKING, null, null, null, clock.instant(), null));
            test(w);
        });
    }

    /** The engine stopped: nothing to watch, late answers are dropped. */
    public void stopped(String profile) {
        onLoop(() -> forget(profile));
    }

    /** The user asked ("Test again"): check now, whatever the interval. */
    public void checkNow(String profile) {
        onLoop(() -> {
            Watched w = watched.get(profile);
            if (w == null) return;
            if (w.testing) {
                w.again = true;
                return;
            }
            if (w.scheduled != null) w.scheduled.cancel(false);
            w.scheduled = null;
            test(w);
        });
    }

    /** Called on event loops: cheap, and only the events that can change a verdict go on. */
    @Override
    public void onSessionEvent(SessionEvent event) {
        SessionRecord r = event.record();
        State known = states.get(r.engine());
        if (known == null) return;
        if (event.type() == SessionEvent.Type.START) {
            // the engine verified the upstream for this session
            if (known != State.VERIFIED) onLoop(() -> sessionReachedServer(r.engine()));
        } else if (event.type() == SessionEvent.Type.REFUSED && r.refusalReason() != null
                && UPSTREAM_REASONS.contains(r.refusalReason())) {
            onLoop(() -> refused(r));
        }
    }

    private void sessionReachedServer(String profile) {
        Watched w = watched.get(profile);
        if (w == null || w.verdict.state() == State.VERIFIED) return;
        publish(w, new Verdict(profile, State.VERIFIED, null, null, null, clock.instant(), w.verdict.lastTest()));
    }

    private void refused(SessionRecord r) {
        Watched w = watched.get(r.engine());
        if (w == null) return;
        if (w.verdict.state() != State.NOT_VERIFIED) {
            // what the client was told, until the check says more
            String message = r.message() == null ? r.refusalReason().code()
                    : r.message().startsWith("verifull: ") ? r.message().substring("verifull: ".length()) : r.message();
            publish(w, new Verdict(r.engine(), State.NOT_VERIFIED, sentence(message), r.detail(), r.hint(), clock.instant(),
                    w.verdict.lastTest()));
        }
        requestTest(w);
    }

    /** A test now, or once the interval since the last one is over; one at a time. */
    private void requestTest(Watched w) {
        if (w.testing) {
            w.again = true;
            return;
        }
        if (w.scheduled != null) return;
        Duration wait = w.lastTest == null ? Duration.ZERO : Duration.between(clock.instant(), w.lastTest.plus(minInterval));
        if (wait.isNegative() || wait.isZero()) {
            test(w);
            return;
        }
        w.scheduled = loop.schedule(() -> {
            w.scheduled = null;
            if (watched.get(w.profile.name()) == w) test(w);
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void test(Watched w) {
        w.testing = true;
        w.lastTest = clock.instant();
        CompletableFuture<UpstreamTestResult> test;
        try {
            test = tester.test(w.profile, background);
        } catch (RuntimeException e) {
            test = CompletableFuture.failedFuture(e);
        }
        test.whenComplete((result, error) -> onLoop(() -> tested(w, result, error)));
    }

    private void tested(Watched w, UpstreamTestResult result, Throwable error) {
        if (watched.get(w.profile.name()) != w) return; // stopped or restarted meanwhile
        w.testing = false;
        Verdict was = w.verdict;
        Verdict now;
        if (result != null && result.ok()) {
            now = new Verdict(w.profile.name(), State.VERIFIED, null, null, null,
                    was.state() == State.VERIFIED ? was.since() : clock.instant(), result);
        } else if (result != null) {
            var d = result.diagnosis();
            now = new Verdict(w.profile.name(), State.NOT_VERIFIED, d.sentence(), blankToNull(d.detail()), blankToNull(d.hint()),
                    was.state() == State.NOT_VERIFIED ? was.since() : clock.instant(), result);
        } else {
            now = new Verdict(w.profile.name(), State.NOT_VERIFIED, "The upstream check failed: " + error, null, null,
                    was.state() == State.NOT_VERIFIED ? was.since() : clock.instant(), null);
        }
        publish(w, now);
        if (w.again) {
            w.again = false;
            requestTest(w);
        }
    }

    private void forget(String profile) {
        Watched w = watched.remove(profile);
        states.remove(profile);
        if (w != null && w.scheduled != null) w.scheduled.cancel(false);
    }

    private void publish(Watched w, Verdict unknownExpiries) {
        // read here, on the watch's thread: the CA files may have changed since the last verdict
        Verdict v = new Verdict(unknownExpiries.profile(), unknownExpiries.state(), unknownExpiries.message(),
                unknownExpiries.detail(), unknownExpiries.hint(), unknownExpiries.since(), unknownExpiries.lastTest(),
                expiries(w.profile, unknownExpiries.lastTest()));
        w.verdict = v;
        states.put(v.profile(), v.state());
        try {
            listener.accept(v);
        } catch (RuntimeException ignored) {
            // the listener's trouble must not stop the watch
        }
    }

    private static List<CertificateExpiry> expiries(Profile p, UpstreamTestResult last) {
        List<CertificateExpiry> all = new ArrayList<>();
        CertificateExpiry upstream = CertificateExpiry.ofUpstream(last);
        if (upstream != null) all.add(upstream);
        if (!p.systemTrust()) all.addAll(CertificateExpiry.ofCaFiles(p.caFiles().stream().map(Path::of).toList()));
        return all;
    }

    private void onLoop(Runnable r) {
        try {
            loop.execute(r);
        } catch (RejectedExecutionException closed) {
            // closing: nothing is watched any more
        }
    }

    /** Waits until everything handed to the watch so far has been handled (tests). */
    void awaitIdle() throws Exception {
        loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    private static String sentence(String s) {
        if (s.isEmpty()) return s;
        String m = Character.toUpperCase(s.charAt(0)) + s.substring(1);
        return m.endsWith(".") ? m : m + ".";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
