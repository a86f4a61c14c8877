package dev.verifull.tls;

import java.util.Objects;

/**
 * Why no verified connection to the upstream server came about, in words a person can act on.
 * The one answer of the TLS verification, of the upstream connection around it and of "Test
 * upstream": the engine tells the client as a refusal ({@code engine.Refusal}), "Test upstream"
 * shows it with the profile fields to check.
 *
 * @param message what went wrong, in PostgreSQL's style (lower-case start, no full stop of its
 *                own); a TLS verification's starts with its kind ("certificate expired: ...") and
 *                does not name the server, the others do. {@link Kind#CONFIGURATION} messages are
 *                sentences already.
 * @param detail  the facts behind it (certificates, names, dates, technical detail); may be empty
 * @param hint    what to check or do; may be empty
 * @param unauthenticatedServerText what the server said before TLS (its ErrorResponse to the
 *                SSLRequest), or null. Nothing authenticates it: anyone on the network path could
 *                have written it (CVE-2024-10977), so it is never part of message, detail or hint,
 *                which clients and the editor show; the audit log keeps it, marked as such.
 */
public record UpstreamDiagnosis(Kind kind, String message, String detail, String hint, String unauthenticatedServerText) {

    public enum Kind {
        /** The settings cannot be tried: host or port, a missing or unreadable CA or key file, the provider. */
        CONFIGURATION,
        UNRESOLVABLE,
        UNREACHABLE,
        /** No verified connection within the deadline. */
        TIMED_OUT,
        /** The server answered 'N' to the SSLRequest. */
        NO_TLS,
        /** The server answered the SSLRequest with an ErrorResponse. */
        SERVER_ERROR,
        NOT_POSTGRES,
        /** Bytes after the 'S': the CVE-2021-23222 pattern. */
        DATA_AFTER_TLS_ANSWER,
        CLOSED_BEFORE_TLS,
        /** The chain does not lead to a trusted CA. */
        UNTRUSTED,
        /** The server presented a self-signed certificate that is not trusted. */
        SELF_SIGNED,
        /** The chain is trusted but the certificate is not for the expected name. */
        HOSTNAME_MISMATCH,
        /** A certificate in the chain is past its end date. */
        EXPIRED,
        /** A certificate in the chain is not valid yet (clock or brand-new certificate). */
        NOT_YET_VALID,
        /** Any other handshake failure: versions, ciphers, client certificate, closed mid-handshake, time-out. */
        HANDSHAKE_FAILED,
        /** Direct TLS: the server did not select the ALPN protocol {@code postgresql} (none, or another). */
        ALPN_MISMATCH;

        /** Found by the TLS handshake and its verification, not by the connection around it. */
        public boolean tls() {
            return compareTo(UNTRUSTED) >= 0;
        }
    }

    public UpstreamDiagnosis {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        detail = detail == null ? "" : detail;
        hint = hint == null ? "" : hint;
    }

    public UpstreamDiagnosis(Kind kind, String message, String detail, String hint) {
        this(kind, message, detail, hint, null);
    }

    /**
     * The message as a sentence, for places that show sentences ("Test upstream"). Words quoted
     * from the TLS verification end as they do.
     */
    public String sentence() {
        if (kind == Kind.CONFIGURATION || message.isEmpty()) return message;
        String m = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return kind.tls() ? m : m + ".";
    }

    /** Message, detail and hint in one text, for logs and test reports. */
    public String fullText() {
        return message + (detail.isEmpty() ? "" : "\n" + detail) + (hint.isEmpty() ? "" : "\nHint: " + hint);
    }
}
