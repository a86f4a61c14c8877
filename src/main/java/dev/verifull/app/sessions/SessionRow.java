package dev.verifull.app.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import dev.verifull.app.ui.Formats;
import dev.verifull.engine.ClientTransport;
import dev.verifull.engine.PeerIdentity;
import dev.verifull.engine.SessionRecord;

/**
 * One line of the sessions table, worked out once per refresh: display texts plus the raw values
 * the table sorts by (time, duration, bytes).
 */
public record SessionRow(SessionRecord record, SessionState state, Duration duration) {

    public static SessionRow of(SessionRecord r, Instant now) {
        return new SessionRow(r, SessionState.of(r), r.duration(now));
    }

    /** Engine and session id: stable across refreshes (for keeping the selection). */
    public String key() {
        return record.engine() + "#" + record.id();
    }

    public String profile() {
        return record.engine();
    }

    public String tailscaleUser() {
        PeerIdentity id = record.identity();
        String label = id != null ? id.label() : null;
        return label != null ? label : "";
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

    public String client() {
        return record.clientAddress() == null ? "" : record.clientEndpoint();
    }

    /** The client's IP alone, for the table; {@link #client()} has the port too. */
    public String clientAddress() {
        return Formats.orEmpty(record.clientAddress());
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

    public long bytesIn() {
        return record.bytesFromClient();
    }

    public long bytesOut() {
        return record.bytesToClient();
    }

    public boolean live() {
        return record.active() && state == SessionState.LIVE;
    }

    public boolean problem() {
        return state == SessionState.REFUSED || state == SessionState.REJECTED;
    }

    /** Everything a person might search for, lower case. */
    String searchText() {
        return String.join("\u0000", profile(), tailscaleUser(), machine(), client(), databaseUser(), database(),
                application(), clientTls(), upstreamTls(), outcome(), fullMachine(), Formats.orEmpty(record.message()),
                Formats.orEmpty(record.sqlState()), state.label()).toLowerCase(Locale.ROOT);
    }

    /** The row as one tab-separated line with a header-less column order matching the table. */
    public String asText() {
        return String.join("\t", state.label(), profile(), tailscaleUser(), machine(), client(), databaseUser(),
                database(), application(), clientTls(), upstreamTls(), outcome(), Formats.time(started()),
                Formats.duration(duration), Long.toString(bytesIn()), Long.toString(bytesOut()))
                + (record.message() != null ? "\t" + record.message() : "");
    }
}
