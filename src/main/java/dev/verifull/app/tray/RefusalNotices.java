package dev.verifull.app.tray;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionRecord;
import dev.verifull.text.Printable;

/**
 * Decides which refusals deserve a desktop notification: an upstream that failed verification and
 * a denied access. The first refusal of a cause (profile, reason, message) is told at once; a
 * client retrying in a loop must not flood the desktop, so repeats are counted and told as one
 * summary ("3 more refused since 10:42") once the cause has been quiet on the desktop for a while,
 * never dropped. Thread-safe; cheap enough for event loops.
 */
public final class RefusalNotices {
    /**
     * Title and text have control characters escaped: they carry names clients and tailnets chose.
     *
     * @param sessionId the session a click on the notification opens (a summary: the latest one)
     */
    public record Notice(String title, String text, String profile, long sessionId) {
        public Notice {
            title = Printable.escape(title);
            text = Printable.escape(text);
        }
    }

    public static final Duration DEFAULT_QUIET = Duration.ofSeconds(60);

    private static final Set<RefusalReason> VERIFICATION = EnumSet.of(RefusalReason.CERTIFICATE_UNTRUSTED,
            RefusalReason.CERTIFICATE_SELF_SIGNED, RefusalReason.HOSTNAME_MISMATCH, RefusalReason.CERTIFICATE_EXPIRED,
            RefusalReason.CERTIFICATE_NOT_YET_VALID, RefusalReason.UPSTREAM_TLS_HANDSHAKE, RefusalReason.UPSTREAM_NO_TLS);
    private static final Set<RefusalReason> ACCESS = EnumSet.of(RefusalReason.ACCESS_DENIED, RefusalReason.NOT_A_TAILNET_PEER);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    /** One cause: when it was last told, and the repeats since that are not told yet. */
    private static final class Cause {
        final String profile;
        final String title;
        final String text;
        Instant lastTold;
        int untold;
        Instant firstUntold;
        long latestSession;

        Cause(String profile, String title, String text) {
            this.profile = profile;
            this.title = title;
            this.text = text;
        }
    }

    private final Clock clock;
    private final Duration quiet;
    private final ZoneId zone;
    private final Map<String, Cause> causes = new ConcurrentHashMap<>();

    public RefusalNotices() {
        this(Clock.systemUTC(), DEFAULT_QUIET, ZoneId.systemDefault());
    }

    /** @param quiet how long after a notice about a cause its repeats may be told again, as a summary */
    public RefusalNotices(Clock clock, Duration quiet, ZoneId zone) {
        this.clock = clock;
        this.quiet = quiet;
        this.zone = zone;
    }

    public Optional<Notice> consider(SessionEvent event) {
        if (event.type() != SessionEvent.Type.REFUSED) return Optional.empty();
        SessionRecord r = event.record();
        RefusalReason reason = r.refusalReason();
        if (reason == null || !(VERIFICATION.contains(reason) || ACCESS.contains(reason))) return Optional.empty();
        String message = r.message() != null ? r.message() : reason.code();
        Cause cause = causes.computeIfAbsent(r.engine() + "\u0000" + reason + "\u0000" + message, k -> describe(r, reason, message));
        synchronized (cause) {
            Instant now = clock.instant();
            if (cause.lastTold == null) {
                cause.lastTold = now;
                return Optional.of(new Notice(cause.title, cause.text, cause.profile, r.id()));
            }
            cause.untold++;
            if (cause.firstUntold == null) cause.firstUntold = now;
            cause.latestSession = r.id();
            return quietLongEnough(cause, now) ? Optional.of(summary(cause, now)) : Optional.empty();
        }
    }

    /** Summaries of repeats not told yet, for causes quiet long enough; ask every few seconds. */
    public List<Notice> due() {
        List<Notice> out = new ArrayList<>();
        Instant now = clock.instant();
        for (Cause cause : causes.values()) {
            synchronized (cause) {
                if (cause.untold > 0 && quietLongEnough(cause, now)) out.add(summary(cause, now));
            }
        }
        return out;
    }

    /** Forget what was shown (e.g. after the profile was edited, the same cause is news again). */
    public void forget(String profile) {
        causes.values().removeIf(c -> c.profile.equals(profile));
    }

    private boolean quietLongEnough(Cause cause, Instant now) {
        return !Duration.between(cause.lastTold, now).minus(quiet).isNegative();
    }

    private Notice summary(Cause cause, Instant now) {
        String text = cause.untold + " more refused since " + CLOCK.format(cause.firstUntold.atZone(zone)) + ": " + cause.text;
        Notice n = new Notice(cause.title, text, cause.profile, cause.latestSession);
        cause.lastTold = now;
        cause.untold = 0;
        cause.firstUntold = null;
        return n;
    }

    private static Cause describe(SessionRecord r, RefusalReason reason, String message) {
        String text = message.startsWith("verifull: ") ? message.substring("verifull: ".length()) : message;
        if (VERIFICATION.contains(reason)) return new Cause(r.engine(), r.engine() + ": upstream not verified", text);
        String who = r.identity() != null && r.identity().label() != null ? r.identity().label() : r.clientAddress();
        // the engine's denial usually names the client already
        boolean named = who == null || text.contains(who);
        return new Cause(r.engine(), r.engine() + ": access denied", named ? text : who + ": " + text);
    }
}
