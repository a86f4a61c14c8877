package dev.verifull.sessions;

import java.time.Instant;

import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionRecord;
import dev.verifull.text.Printable;

/**
 * One human-readable log line per session event, for terminals and log files. Names come from
 * clients and tailnets, so the line is printed with control characters escaped: it stays one line
 * and sends no terminal escapes.
 */
public final class SessionLogLine {
    private SessionLogLine() {}

    public static String format(SessionEvent event) {
        return "verifull: " + message(event);
    }

    /** The line without the {@code verifull: } prefix, for a log whose lines carry their own time, level and profile. */
    public static String message(SessionEvent event) {
        SessionRecord r = event.record();
        StringBuilder b = new StringBuilder();
        b.append(r.engine()).append(" #").append(r.sessionId()).append(' ');
        switch (event.type()) {
            case START -> b.append("start");
            case END -> b.append("cancel".equals(r.kind()) ? "cancel" : "end");
            case REFUSED -> b.append("refused");
        }
        b.append(" client=").append(r.clientEndpoint());
        if (r.identity() != null && r.identity().label() != null) b.append(" who=").append(r.identity().label());
        if (r.identity() != null && r.identity().machine() != null) b.append(" machine=").append(r.identity().machine());
        append(b, "user", r.user());
        append(b, "db", r.database());
        append(b, "app", r.applicationName());
        b.append(" via=").append(r.clientTransport().label().replace(' ', '-'));
        if (r.clientTlsProtocol() != null) b.append('/').append(r.clientTlsProtocol());
        append(b, "upstream-tls", r.upstreamTlsProtocol());
        if (event.type() != SessionEvent.Type.START) {
            b.append(" outcome=").append(r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            if (r.refusalReason() != null) b.append(" reason=").append(r.refusalReason().code());
            if (r.end() != null) {
                b.append(" ended-by=").append(r.end().endedBy().code()).append(" end=").append(r.end().cause().code());
                if (r.end().sqlState() != null) b.append(" end-sqlstate=").append(r.end().sqlState());
            }
            if (r.sqlState() != null) b.append(" sqlstate=").append(r.sqlState());
            if (r.endedAt() != null) {
                b.append(" duration=").append(r.duration(Instant.now()).toMillis()).append("ms");
            }
            if (r.backendPid() != null) b.append(" backend-pid=").append(r.backendPid());
            if ("session".equals(r.kind())) {
                b.append(" bytes-in=").append(r.bytesFromClient()).append(" bytes-out=").append(r.bytesToClient());
            }
            if (r.message() != null) b.append(" message=\"").append(r.message().replace('"', '\'')).append('"');
            else if (r.endReason() != null) b.append(" (").append(r.endReason()).append(')');
        }
        return Printable.escape(b.toString());
    }

    private static void append(StringBuilder b, String key, String value) {
        if (value == null) return;
        b.append(' ').append(key).append('=');
        if (value.isEmpty() || value.contains(" ")) b.append('"').append(value.replace('"', '\'')).append('"');
        else b.append(value);
    }
}
