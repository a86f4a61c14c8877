package dev.verifull.app.audit;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.verifull.app.ui.Formats;
import dev.verifull.audit.AuditEvent;
import dev.verifull.audit.AuditFields;
import dev.verifull.text.Printable;

/** One audit record as the audit table shows it. */
public record AuditRow(AuditEvent event) {

    public Instant time() {
        return event.time();
    }

    /** {@code start}, {@code end}, {@code refused}, or the event name as written. */
    public String kind() {
        String e = event.event();
        return e.startsWith("session.") ? e.substring("session.".length()) : e;
    }

    public String profile() {
        return event.engine();
    }

    public String session() {
        return event.sessionId();
    }

    /** As the sessions table says it: a tailnet login, a tagged device's tags, or {@code local: name}. */
    public String who() {
        String local = text(AuditFields.LOCAL_USER);
        if (!local.isEmpty()) return "local: " + local;
        String login = text(AuditFields.TAILSCALE_LOGIN);
        if (!login.isEmpty() && !"tagged-devices".equals(login)) return login;
        return text(AuditFields.TAILSCALE_TAGS).replace(",", ", ");
    }

    /** Short machine name, as in the sessions table. */
    public String machine() {
        if (!text(AuditFields.LOCAL_USER).isEmpty()) return "this computer";
        String full = text(AuditFields.TAILSCALE_NODE);
        int dot = full.indexOf('.');
        return dot > 0 && !Character.isDigit(full.charAt(0)) ? full.substring(0, dot) : full;
    }

    public String client() {
        String address = text(AuditFields.CLIENT_ADDRESS);
        String port = text(AuditFields.CLIENT_PORT);
        if (address.isEmpty()) return "";
        String a = Formats.address(address);
        return (a.contains(":") ? "[" + a + "]" : a) + (port.isEmpty() ? "" : ":" + port);
    }

    public String databaseUser() {
        return text(AuditFields.USER);
    }

    public String database() {
        return text(AuditFields.DATABASE);
    }

    /** As in the sessions table: the reason alone for a refusal. */
    public String outcome() {
        String reason = text(AuditFields.REFUSAL_REASON);
        if (!reason.isEmpty()) return reason.replace('-', ' ');
        String outcome = text(AuditFields.OUTCOME);
        if ("server_rejected".equals(outcome)) return "rejected " + text(AuditFields.SQLSTATE);
        return outcome.replace('_', ' ');
    }

    /**
     * Who ended the session and how, from {@code ended_by}, {@code end_cause} and {@code end_sqlstate}:
     * "client · Terminate", "server · error 57P01", "Verifull · grace period over". Records written
     * before those fields existed show their {@code end_reason}; start records show nothing.
     */
    public String endedBy() {
        String by = text(AuditFields.ENDED_BY);
        if (by.isEmpty()) return text(AuditFields.END_REASON);
        String party = "verifull".equals(by) ? "Verifull" : by;
        String cause = text(AuditFields.END_CAUSE);
        String how = switch (cause) {
            case "client_terminate" -> "Terminate";
            case "client_closed", "server_closed" -> "closed the connection";
            case "server_error" -> "error";
            case "cancel_handled" -> "cancel request";
            case "ended_in_app" -> "ended in the app";
            case "shutdown" -> "shutting down";
            case "grace_over" -> "grace period over";
            default -> cause.replace('_', ' '); // refused, internal error, or a cause a newer version wrote
        };
        String sqlState = text(AuditFields.END_SQLSTATE);
        if (!sqlState.isEmpty()) how = how.isEmpty() ? sqlState : how + " " + sqlState;
        return how.isEmpty() ? party : party + " · " + how;
    }

    public String message() {
        return text(AuditFields.MESSAGE);
    }

    /** The message with the DETAIL and HINT the client was given, as psql shows them. */
    public String fullMessage() {
        String detail = text(AuditFields.DETAIL);
        String hint = text(AuditFields.HINT);
        // One line each, as psql shows them; escaping keeps a logged string from adding lines of its own.
        return Printable.escape(message()) + (detail.isEmpty() ? "" : "\nDETAIL:  " + Printable.escapeKeepingLines(detail))
                + (hint.isEmpty() ? "" : "\nHINT:  " + Printable.escapeKeepingLines(hint));
    }

    /** The server's process id for the session, or "". */
    public String backendPid() {
        return text(AuditFields.BACKEND_PID);
    }

    public boolean problem() {
        String outcome = text(AuditFields.OUTCOME);
        return AuditEvent.SESSION_REFUSED.equals(event.event()) || "refused".equals(outcome) || "server_rejected".equals(outcome);
    }

    /** A field's value as text; lists are joined with commas; absent fields are "". */
    public String text(String field) {
        Object v = event.get(field);
        if (v == null) return "";
        if (v instanceof List<?> list) return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        return String.valueOf(v);
    }

    String searchText() {
        StringBuilder b = new StringBuilder(event.event()).append('\u0000').append(event.engine()).append('\u0000')
                .append(event.sessionId());
        for (Object v : event.fields().values()) b.append('\u0000').append(v);
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
