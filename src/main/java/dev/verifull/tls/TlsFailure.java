package dev.verifull.tls;

/**
 * Why an upstream TLS handshake failed, in words a user can act on.
 *
 * @param kind    the category, for UI badges, audit records and tests
 * @param message one sentence saying what is wrong
 * @param detail  the facts behind it (certificate subject, names, dates, fingerprint) and a hint;
 *                may span several lines, may be empty
 */
public record TlsFailure(Kind kind, String message, String detail) {

    public enum Kind {
        /** The chain does not lead to a trusted CA. */
        UNTRUSTED,
        /** The chain is trusted but the certificate is not for the expected name. */
        HOSTNAME_MISMATCH,
        /** A certificate in the chain is past its end date. */
        EXPIRED,
        /** A certificate in the chain is not valid yet (clock or brand-new certificate). */
        NOT_YET_VALID,
        /** The server presented a self-signed certificate that is not trusted. */
        SELF_SIGNED,
        /** Anything else: protocol version, cipher, alert from the server, connection closed. */
        HANDSHAKE_FAILED
    }

    public TlsFailure {
        java.util.Objects.requireNonNull(kind, "kind");
        message = message == null ? "" : message;
        detail = detail == null ? "" : detail;
    }

    /** Message and detail in one text, for logs and error responses. */
    public String fullText() {
        return detail.isEmpty() ? message : message + "\n" + detail;
    }
}
