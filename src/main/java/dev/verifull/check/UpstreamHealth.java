package dev.verifull.check;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionListener;

/**
 * Whether one engine's upstream counts as verified now, for readiness probes and metrics: fed by
 * its {@link UpstreamWatch} verdicts and by sessions that reached the server (each one a verified
 * handshake). Verified "now" means verified within {@link #FRESH}: the owner re-checks every
 * {@link #RECHECK} while no session proves it, so one slow or lost check (the test's own
 * time-out is {@link UpstreamTester#DEFAULT_TIMEOUT}) does not flip readiness, yet an upstream
 * that has gone quiet stops counting within a minute and a half. A refusal for an upstream
 * reason makes the watch's verdict NOT_VERIFIED at once, and that counts at once.
 */
public final class UpstreamHealth implements SessionListener, Consumer<UpstreamWatch.Verdict> {
    public static final Duration RECHECK = Duration.ofSeconds(30);
    public static final int FRESH_SECONDS = 90;
    public static final Duration FRESH = Duration.ofSeconds(FRESH_SECONDS);

    private final Clock clock;
    private final List<Path> caFiles;
    private volatile UpstreamWatch.Verdict verdict;
    private volatile Instant lastVerified;
    private volatile CertificateExpiry upstreamCertificate;

    /** @param caFiles the configured CA files (empty with the system trust store) */
    public UpstreamHealth(List<Path> caFiles, Clock clock) {
        this.caFiles = List.copyOf(caFiles);
        this.clock = clock;
    }

    @Override
    public void accept(UpstreamWatch.Verdict v) {
        if (v.state() == UpstreamWatch.State.VERIFIED) lastVerified = clock.instant();
        CertificateExpiry seen = CertificateExpiry.ofUpstream(v.lastTest());
        if (seen != null) upstreamCertificate = seen;
        verdict = v;
    }

    @Override
    public void onSessionEvent(SessionEvent event) {
        if (event.type() == SessionEvent.Type.START) lastVerified = clock.instant();
    }

    /** Verified within {@link #FRESH} and not refused since. */
    public boolean verifiedRecently() {
        UpstreamWatch.Verdict v = verdict;
        Instant last = lastVerified;
        return v != null && v.state() == UpstreamWatch.State.VERIFIED && last != null
                && !last.plus(FRESH).isBefore(clock.instant());
    }

    /** No session or check verified the upstream within {@link #RECHECK}: time to check. */
    public boolean checkDue() {
        Instant last = lastVerified;
        return last == null || last.plus(RECHECK).isBefore(clock.instant()) || !verifiedRecently();
    }

    /** The upstream's state in a line, for {@code /readyz} and logs. */
    public String describe() {
        UpstreamWatch.Verdict v = verdict;
        if (v == null || v.state() == UpstreamWatch.State.CHECKING) return "the upstream has not been checked yet";
        if (v.state() == UpstreamWatch.State.NOT_VERIFIED) return "the upstream is not verified: " + v.message();
        Instant last = lastVerified;
        return verifiedRecently() ? "the upstream verified at " + last
                : "the upstream was last verified at " + last + ", more than " + FRESH.toSeconds() + " s ago";
    }

    /** The last verdict; null before the first. */
    public UpstreamWatch.Verdict verdict() {
        return verdict;
    }

    /** When a session or a check last verified the upstream; null when never. */
    public Instant lastVerified() {
        return lastVerified;
    }

    /** The upstream's certificate as last seen (by a check, verified or not), then every configured CA's. */
    public List<CertificateExpiry> expiries() {
        List<CertificateExpiry> all = new ArrayList<>();
        CertificateExpiry upstream = upstreamCertificate;
        if (upstream != null) all.add(upstream);
        all.addAll(CertificateExpiry.ofCaFiles(caFiles));
        return all;
    }
}
