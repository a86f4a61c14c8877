package dev.verifull.engine;

import java.util.Objects;

import dev.verifull.tls.UpstreamDiagnosis;

/**
 * What the client is told when Verifull refuses it: message (starts with {@code verifull:}),
 * detail, and a hint that says what to check; the reason gives the SQLSTATE and is what the
 * session record and the audit log keep. {@code wire.ErrorResponse} puts it on the wire.
 */
public record Refusal(RefusalReason reason, String message, String detail, String hint) {
    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        if (!message.startsWith("verifull: ")) {
            message = "verifull: " + message;
        }
    }

    public static Refusal of(RefusalReason reason, String message, String hint) {
        return new Refusal(reason, message, null, hint);
    }

    /**
     * No verified upstream connection came about. A TLS verification's diagnosis does not name
     * the server (its sentence is about the certificate); the client sees no other place that
     * does, so the refusal names it.
     */
    public static Refusal upstream(UpstreamDiagnosis diagnosis, String upstreamEndpoint) {
        String message = diagnosis.kind().tls() ? "upstream " + upstreamEndpoint + ": " + diagnosis.message() : diagnosis.message();
        // A session's upstream attempt is bounded by the connect timeout alone: say which deadline fired.
        if (diagnosis.kind() == UpstreamDiagnosis.Kind.TIMED_OUT) message += " (the connect timeout)";
        return new Refusal(RefusalReason.of(diagnosis.kind()), message,
                diagnosis.detail().isEmpty() ? null : diagnosis.detail(), diagnosis.hint());
    }

    public String sqlState() {
        return reason.sqlState();
    }
}
