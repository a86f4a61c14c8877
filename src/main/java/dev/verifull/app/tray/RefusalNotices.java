package dev.verifull.app.tray;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionRecord;
import dev.verifull.text.Printable;

/**
 * Decides which refusals deserve a desktop notification: an upstream that failed verification and
 * a denied access, each once per cause (profile, reason, message) rather than once per connection
 * — a client retrying in a loop must not flood the desktop. Thread-safe; cheap enough for event loops.
 */
public final class RefusalNotices {
    /** Title and text with control characters escaped: they carry names clients and tailnets chose. */
    public record Notice(String title, String text) {
        public Notice {
            title = Printable.escape(title);
            text = Printable.escape(text);
        }
    }

    private static final Set<RefusalReason> VERIFICATION = EnumSet.of(RefusalReason.CERTIFICATE_UNTRUSTED,
            RefusalReason.CERTIFICATE_SELF_SIGNED, RefusalReason.HOSTNAME_MISMATCH, RefusalReason.CERTIFICATE_EXPIRED,
            RefusalReason.CERTIFICATE_NOT_YET_VALID, RefusalReason.UPSTREAM_TLS_HANDSHAKE, RefusalReason.UPSTREAM_NO_TLS);
    private static final Set<RefusalReason> ACCESS = EnumSet.of(RefusalReason.ACCESS_DENIED, RefusalReason.NOT_A_TAILNET_PEER);

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    public Optional<Notice> consider(SessionEvent event) {
        if (event.type() != SessionEvent.Type.REFUSED) return Optional.empty();
        SessionRecord r = event.record();
        RefusalReason reason = r.refusalReason();
        if (reason == null || !(VERIFICATION.contains(reason) || ACCESS.contains(reason))) return Optional.empty();
        String message = r.message() != null ? r.message() : reason.code();
        if (!seen.add(r.engine() + "\u0000" + reason + "\u0000" + message)) return Optional.empty();
        String text = message.startsWith("verifull: ") ? message.substring("verifull: ".length()) : message;
        if (VERIFICATION.contains(reason)) {
            return Optional.of(new Notice(r.engine() + ": upstream not verified", text));
        }
        String who = r.identity() != null && r.identity().label() != null ? r.identity().label() : r.clientAddress();
        // the engine's denial usually names the client already
        boolean named = who == null || text.contains(who);
        return Optional.of(new Notice(r.engine() + ": access denied", named ? text : who + ": " + text));
    }

    /** Forget what was shown (e.g. after the profile was edited, the same cause is news again). */
    public void forget(String profile) {
        seen.removeIf(key -> key.startsWith(profile + "\u0000"));
    }
}
