package dev.verifull.engine;

import java.util.Locale;
import java.util.Objects;

/**
 * Who ended a session and how: the machine-readable side of its end (audit fields
 * {@code ended_by}, {@code end_cause}, {@code end_sqlstate}) next to the human-readable text
 * ({@code end_reason}).
 *
 * @param sqlState the server's SQLSTATE when it ended the session with an error, else null
 * @param text     the end reason as people read it
 */
public record SessionEnd(Cause cause, String sqlState, String text) {

    /** The party that ended the session. */
    public enum EndedBy {
        CLIENT, SERVER, VERIFULL;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How the session ended; {@link #code()} is what the audit log records. */
    public enum Cause {
        /** The client sent Terminate ('X'), then closed: a normal logout. */
        CLIENT_TERMINATE(EndedBy.CLIENT, "client sent Terminate"),
        /** The client closed its connection without Terminate (killed, crashed, or just closed the socket). */
        CLIENT_CLOSED(EndedBy.CLIENT, "client closed the connection"),
        /** The server closed the connection without an error. */
        SERVER_CLOSED(EndedBy.SERVER, "server closed the connection"),
        /** The server sent a FATAL or PANIC ErrorResponse, then closed (a rejected login, pg_terminate_backend, shutdown). */
        SERVER_ERROR(EndedBy.SERVER, "server error"),
        /** Verifull refused the connection (see the refusal reason: timeouts, limits, verification). */
        REFUSED(EndedBy.VERIFULL, "refused"),
        /** A cancel request was handled; Verifull closes such connections as PostgreSQL does. */
        CANCEL_HANDLED(EndedBy.VERIFULL, "cancel request handled"),
        /** Someone ended the session in the app ("End session"). */
        ENDED_IN_APP(EndedBy.VERIFULL, "ended by Verifull"),
        /** Verifull stopped (profile stopped, app quit, serve stopped without a grace period). */
        SHUTDOWN(EndedBy.VERIFULL, "ended by Verifull (shutting down)"),
        /** Verifull stopped and the session outlived the grace period. */
        GRACE_OVER(EndedBy.VERIFULL, "ended by Verifull (grace period over)"),
        /** Verifull failed on its side (an internal error). */
        INTERNAL_ERROR(EndedBy.VERIFULL, "ended by Verifull (internal error)");

        private final EndedBy by;
        private final String label;

        Cause(EndedBy by, String label) {
            this.by = by;
            this.label = label;
        }

        public EndedBy by() {
            return by;
        }

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String label() {
            return label;
        }
    }

    public SessionEnd {
        Objects.requireNonNull(cause, "cause");
        if (text == null) text = cause.label();
    }

    public static SessionEnd of(Cause cause) {
        return new SessionEnd(cause, null, cause.label());
    }

    public static SessionEnd of(Cause cause, String text) {
        return new SessionEnd(cause, null, text);
    }

    /** The server's FATAL error ended the session. */
    public static SessionEnd serverError(String sqlState, String message) {
        return new SessionEnd(Cause.SERVER_ERROR, sqlState,
                "server error" + (sqlState != null ? " " + sqlState : "") + (message != null ? ": " + message : ""));
    }

    public EndedBy endedBy() {
        return cause.by();
    }
}
