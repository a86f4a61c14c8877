package dev.verifull.app.sessions;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import dev.verifull.app.ui.Formats;
import dev.verifull.engine.SessionEnd;
import dev.verifull.engine.SessionRecord;
import dev.verifull.text.Printable;

/**
 * The pane under the sessions table for one session: a title, what the client was told (message,
 * DETAIL and HINT, as psql prints them) when it was refused or rejected, and the facts: who, from
 * where, the server's process id, when it started and ended and why, bytes each way.
 *
 * @param told null for a session that was not refused or rejected
 */
public record SessionDetail(String title, Told told, List<Fact> facts) {
    /** Text shown here comes from clients, tailnets and servers: control characters are escaped. */
    public SessionDetail {
        title = Printable.escape(title);
    }

    /** The error the client received, each line as psql shows it; detail and hint null when absent. */
    public record Told(String message, String detail, String hint) {
        public Told {
            message = Printable.escape(message);
            detail = Printable.escapeKeepingLines(detail);
            hint = Printable.escapeKeepingLines(hint);
        }
    }

    /** @param id stable, for tests and the copied text's order */
    public record Fact(String id, String name, String value) {
        public Fact {
            value = Printable.escape(value);
        }
    }

    public static SessionDetail of(SessionRow row) {
        return of(row, ZoneId.systemDefault());
    }

    public static SessionDetail of(SessionRow row, ZoneId zone) {
        SessionRecord r = row.record();
        StringBuilder title = new StringBuilder(row.profile()).append(" #").append(r.sessionId()).append(" — ")
                .append(row.state() == SessionState.REFUSED ? "refused: " : "").append(row.outcome());
        if (r.sqlState() != null) title.append(" (SQLSTATE ").append(r.sqlState()).append(')');
        Told told = row.problem() && r.message() != null
                ? new Told("FATAL:  " + r.message(), prefixed("DETAIL:  ", r.detail()), prefixed("HINT:  ", r.hint()))
                : null;
        List<Fact> facts = new ArrayList<>();
        String who = row.whoSentence();
        if (!row.fullMachine().isEmpty() && row.whoKind() != SessionRow.WhoKind.LOCAL_USER) who += " on " + row.fullMachine();
        facts.add(new Fact("who", "Who", who));
        if (!row.client().isEmpty()) facts.add(new Fact("client", "From", row.client()));
        if (r.accessDecision() != null) facts.add(new Fact("access", "Access", r.accessDecision()));
        if (r.user() != null) {
            facts.add(new Fact("login", "Login", "user " + r.user() + (r.database() != null ? ", database " + r.database() : "")
                    + (r.applicationName() != null && !r.applicationName().isEmpty() ? ", application " + r.applicationName() : "")));
        }
        String server = r.upstreamHost() + ":" + r.upstreamPort();
        if (r.upstreamTlsProtocol() != null) {
            server += " · " + r.upstreamTlsProtocol() + (r.upstreamTlsCipher() != null ? " " + r.upstreamTlsCipher() : "");
        }
        facts.add(new Fact("server", "Server", server));
        if (r.upstreamCertificateSubject() != null) facts.add(new Fact("certificate", "Certificate", r.upstreamCertificateSubject()));
        if (r.backendPid() != null) {
            facts.add(new Fact("pid", "Server process", r.backendPid()
                    + "  (select * from pg_stat_activity where pid = " + r.backendPid() + ")"));
        }
        facts.add(new Fact("started", "Started", Formats.zonedDateTime(r.startedAt(), zone)));
        if (r.endedAt() != null) {
            String ended = Formats.zonedDateTime(r.endedAt(), zone);
            if (row.state() == SessionState.REFUSED) {
                Duration took = Duration.between(r.startedAt(), r.endedAt());
                facts.add(new Fact("ended", "Refused", ended + " (after "
                        + (took.toMillis() < 1000 ? took.toMillis() + " ms" : Formats.duration(took)) + ")"));
            } else {
                facts.add(new Fact("ended", "Ended", ended + (r.end() != null ? " by " + endedBy(r.end().endedBy()) : "")
                        + (r.endReason() != null ? " — " + r.endReason() : "")));
            }
        }
        if (row.state() != SessionState.REFUSED && row.duration() != null) {
            facts.add(new Fact("duration", "Duration", Formats.duration(row.duration())));
            facts.add(new Fact("bytes", "Bytes", Formats.bytes(r.bytesFromClient()) + " client → server · "
                    + Formats.bytes(r.bytesToClient()) + " server → client"));
        }
        return new SessionDetail(title.toString(), told, List.copyOf(facts));
    }

    private static String endedBy(SessionEnd.EndedBy by) {
        return switch (by) {
            case CLIENT -> "the client";
            case SERVER -> "the server";
            case VERIFULL -> "Verifull";
        };
    }

    private static String prefixed(String prefix, String text) {
        return text == null || text.isEmpty() ? null : prefix + text;
    }

    /** Everything in the pane as plain text, for the clipboard. */
    public String asText() {
        StringBuilder b = new StringBuilder(title).append('\n');
        if (told != null) {
            b.append(told.message()).append('\n');
            if (told.detail() != null) b.append(told.detail()).append('\n');
            if (told.hint() != null) b.append(told.hint()).append('\n');
        }
        for (Fact f : facts) b.append(f.name()).append(": ").append(f.value()).append('\n');
        return b.toString().strip();
    }
}
