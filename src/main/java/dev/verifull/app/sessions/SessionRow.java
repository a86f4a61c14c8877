package dev.verifull.app.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import dev.verifull.app.ui.Formats;
import dev.verifull.engine.ClientTransport;
import dev.verifull.engine.LocalOnlyAdmission;
import dev.verifull.engine.PeerIdentity;
import dev.verifull.engine.SessionRecord;

/**
 * One line of the sessions table, worked out once per refresh: display texts plus the raw values
 * the table sorts by (time, duration, bytes).
 *
 * @param duration null for a refused connection: it never became a session
 */
public record SessionRow(SessionRecord record, SessionState state, Duration duration) {

    /** What kind of party connected, as the "Who" column says it. */
    public enum WhoKind { TAILNET_USER, TAGGED_DEVICE, LOCAL_USER, UNKNOWN }

    public static SessionRow of(SessionRecord r, Instant now) {
        SessionState state = SessionState.of(r);
        return new SessionRow(r, state, state == SessionState.REFUSED ? null : r.duration(now));
    }

    /** Engine and session id: stable across refreshes (for keeping the selection). */
    public String key() {
        return record.engine() + "#" + record.id();
    }

    public String profile() {
        return record.engine();
    }

    public WhoKind whoKind() {
        PeerIdentity id = record.identity();
        if (id == null || "none".equals(id.source())) return WhoKind.UNKNOWN;
        if (LocalOnlyAdmission.SOURCE.equals(id.source())) return WhoKind.LOCAL_USER;
        boolean login = id.loginName() != null && !id.loginName().isEmpty() && !"tagged-devices".equals(id.loginName());
        if (login) return WhoKind.TAILNET_USER;
        return id.tags().isEmpty() ? WhoKind.UNKNOWN : WhoKind.TAGGED_DEVICE;
    }

    /**
     * The "Who" column: a tailnet login ({@code alice@example.com}), a tagged device's tags
     * ({@code tag:ci}), or {@code local: name} for this computer's user; empty when nobody could tell.
     */
    public String who() {
        PeerIdentity id = record.identity();
        return switch (whoKind()) {
            case TAILNET_USER -> id.loginName();
            case TAGGED_DEVICE -> String.join(", ", id.tags());
            case LOCAL_USER -> "local: " + id.loginName();
            case UNKNOWN -> "";
        };
    }

    /** The detail pane's sentence about who it was, e.g. {@code Tailnet user alice@example.com}. */
    public String whoSentence() {
        return switch (whoKind()) {
            case TAILNET_USER -> "Tailnet user " + who();
            case TAGGED_DEVICE -> "Tagged device (" + who() + ")";
            case LOCAL_USER -> "Local user " + record.identity().loginName() + " on this computer";
            case UNKNOWN -> "Not identified";
        };
    }

    /** The machine's short name ({@code laptop} for {@code laptop.tail1a2b3.ts.net}); the detail strip has the full one. */
    public String machine() {
        String full = fullMachine();
        int dot = full.indexOf('.');
        boolean address = !full.isEmpty() && (Character.isDigit(full.charAt(0)) || full.contains(":"));
        return dot > 0 && !address ? full.substring(0, dot) : full;
    }

    public String fullMachine() {
        PeerIdentity id = record.identity();
        return id != null && id.machine() != null ? id.machine() : "";
    }

    /** {@code address:port}, IPv6 compact and in brackets. */
    public String client() {
        return record.clientAddress() == null ? "" : Formats.endpoint(record.clientAddress(), record.clientPort());
    }

    /** The client's IP alone (IPv6 compact), for the table; {@link #client()} has the port too. */
    public String clientAddress() {
        return Formats.address(record.clientAddress());
    }

    public String databaseUser() {
        return Formats.orEmpty(record.user());
    }

    public String database() {
        return Formats.orEmpty(record.database());
    }

    public String application() {
        return Formats.orEmpty(record.applicationName());
    }

    /** e.g. {@code TLSv1.3}, {@code direct TLSv1.3}, {@code plaintext}. */
    public String clientTls() {
        ClientTransport t = record.clientTransport();
        if (t == null || t == ClientTransport.UNKNOWN) return "";
        if (!t.encrypted()) return t.label();
        String protocol = record.clientTlsProtocol() != null ? record.clientTlsProtocol() : "TLS";
        return t == ClientTransport.DIRECT_TLS ? "direct " + protocol : protocol;
    }

    public String upstreamTls() {
        return Formats.orEmpty(record.upstreamTlsProtocol());
    }

    /**
     * Short enough for its column: {@code authenticated}, or for a refusal just why
     * ({@code hostname mismatch}; the red row and dot say it was refused), {@code rejected 28P01}.
     */
    public String outcome() {
        if (record.outcome() == null) return "";
        return switch (record.outcome()) {
            case REFUSED -> record.refusalReason() != null ? record.refusalReason().code().replace('-', ' ') : "refused";
            case SERVER_REJECTED -> record.sqlState() != null ? "rejected " + record.sqlState() : "rejected by server";
            case IN_PROGRESS -> "starting";
            default -> record.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    public Instant started() {
        return record.startedAt();
    }

    /** When the session ended; null while it is live. */
    public Instant ended() {
        return record.endedAt();
    }

    /** Bytes client → server; null for a refused connection (nothing was relayed). */
    public Long bytesToServer() {
        return state == SessionState.REFUSED ? null : record.bytesFromClient();
    }

    /** Bytes server → client; null for a refused connection. */
    public Long bytesToClient() {
        return state == SessionState.REFUSED ? null : record.bytesToClient();
    }

    /** The server's process id for this session (pg_stat_activity.pid); null before the login or when refused. */
    public Integer backendPid() {
        return record.backendPid();
    }

    public boolean live() {
        return record.active() && state == SessionState.LIVE;
    }

    public boolean problem() {
        return state == SessionState.REFUSED || state == SessionState.REJECTED;
    }

    /** Everything a person might search for, lower case. */
    String searchText() {
        return String.join("\u0000", profile(), who(), machine(), client(), databaseUser(), database(),
                application(), clientTls(), upstreamTls(), outcome(), fullMachine(), Formats.orEmpty(record.message()),
                Formats.orEmpty(record.sqlState()), state.label(), record.backendPid() != null ? "pid " + record.backendPid() : "")
                .toLowerCase(Locale.ROOT);
    }

    /** The row as one tab-separated line with a header-less column order matching the table. */
    public String asText() {
        return String.join("\t", state.label(), profile(), who(), machine(), client(), databaseUser(),
                database(), application(), clientTls(), upstreamTls(), outcome(), Formats.time(started()),
                duration != null ? Formats.duration(duration) : Formats.NOT_APPLICABLE, orDash(bytesToServer()),
                orDash(bytesToClient()), record.backendPid() != null ? record.backendPid().toString() : "")
                + (record.message() != null ? "\t" + record.message() : "");
    }

    private static String orDash(Long n) {
        return n == null ? Formats.NOT_APPLICABLE : Long.toString(n);
    }
}
