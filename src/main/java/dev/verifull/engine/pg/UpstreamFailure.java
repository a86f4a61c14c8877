package dev.verifull.engine.pg;

import java.util.Objects;

import dev.verifull.engine.RefusalReason;
import dev.verifull.tls.TlsFailure;

/**
 * Why no verified connection to the upstream came about, worded once for the engine's refusals
 * and for "Test upstream".
 *
 * @param message what went wrong, in PostgreSQL's style (lower-case start, no full stop of its
 *                own); a TLS failure's does not name the server, the others do
 * @param detail  the facts behind it (certificates, names, dates); may be empty
 * @param hint    what to check or do
 */
public record UpstreamFailure(Kind kind, String message, String detail, String hint) {

    public enum Kind {
        UNRESOLVABLE(RefusalReason.UPSTREAM_UNREACHABLE),
        UNREACHABLE(RefusalReason.UPSTREAM_UNREACHABLE),
        /** No verified connection within the target's deadline. */
        TIMED_OUT(RefusalReason.UPSTREAM_UNREACHABLE),
        /** The server answered 'N' to the SSLRequest. */
        NO_TLS(RefusalReason.UPSTREAM_NO_TLS),
        /** The server answered the SSLRequest with an ErrorResponse. */
        SERVER_ERROR(RefusalReason.UPSTREAM_ERROR),
        NOT_POSTGRES(RefusalReason.UPSTREAM_PROTOCOL),
        /** Bytes after the 'S': the CVE-2021-23222 pattern. */
        DATA_AFTER_TLS_ANSWER(RefusalReason.UPSTREAM_PROTOCOL),
        CLOSED_BEFORE_TLS(RefusalReason.UPSTREAM_PROTOCOL),
        CERTIFICATE_UNTRUSTED(RefusalReason.CERTIFICATE_UNTRUSTED),
        CERTIFICATE_SELF_SIGNED(RefusalReason.CERTIFICATE_SELF_SIGNED),
        HOSTNAME_MISMATCH(RefusalReason.HOSTNAME_MISMATCH),
        CERTIFICATE_EXPIRED(RefusalReason.CERTIFICATE_EXPIRED),
        CERTIFICATE_NOT_YET_VALID(RefusalReason.CERTIFICATE_NOT_YET_VALID),
        /** Any other handshake failure: versions, ciphers, client certificate, closed mid-handshake. */
        TLS_HANDSHAKE(RefusalReason.UPSTREAM_TLS_HANDSHAKE);

        private final RefusalReason refusalReason;

        Kind(RefusalReason refusalReason) {
            this.refusalReason = refusalReason;
        }

        RefusalReason refusalReason() {
            return refusalReason;
        }

        /** A failed TLS handshake, explained by the TLS classifier. */
        public boolean tlsHandshake() {
            return compareTo(CERTIFICATE_UNTRUSTED) >= 0;
        }

        static Kind of(TlsFailure.Kind kind) {
            return switch (kind) {
                case UNTRUSTED -> CERTIFICATE_UNTRUSTED;
                case SELF_SIGNED -> CERTIFICATE_SELF_SIGNED;
                case HOSTNAME_MISMATCH -> HOSTNAME_MISMATCH;
                case EXPIRED -> CERTIFICATE_EXPIRED;
                case NOT_YET_VALID -> CERTIFICATE_NOT_YET_VALID;
                case HANDSHAKE_FAILED -> TLS_HANDSHAKE;
            };
        }
    }

    public UpstreamFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        detail = detail == null ? "" : detail;
        hint = hint == null ? "" : hint;
    }
}
