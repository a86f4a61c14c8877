package dev.verifull.engine;

import dev.verifull.tls.UpstreamDiagnosis;

/** Why Verifull refused a connection; each maps to one SQLSTATE the client sees. */
public enum RefusalReason {
    UPSTREAM_UNREACHABLE("08001"),
    UPSTREAM_NO_TLS("08001"),
    UPSTREAM_ERROR("08001"),
    UPSTREAM_PROTOCOL("08001"),
    CERTIFICATE_UNTRUSTED("08001"),
    CERTIFICATE_SELF_SIGNED("08001"),
    HOSTNAME_MISMATCH("08001"),
    CERTIFICATE_EXPIRED("08001"),
    CERTIFICATE_NOT_YET_VALID("08001"),
    UPSTREAM_TLS_HANDSHAKE("08001"),
    CLIENT_PROTOCOL("08P01"),
    CLIENT_TIMEOUT("08P01"),
    CLIENT_TLS("08P01"),
    CHANNEL_BINDING("28000"),
    TOO_MANY_SESSIONS("53300"),
    /** Dropped as the oldest of too many connections still in their startup phase. */
    TOO_MANY_STARTUPS("53300"),
    SHUTTING_DOWN("57P01"),
    NOT_A_TAILNET_PEER("28000"),
    IDENTITY_UNAVAILABLE("28000"),
    ACCESS_DENIED("28000"),
    /** A fault in Verifull itself; the message carries the exception so it can be reported. */
    INTERNAL_ERROR("XX000");

    private final String sqlState;

    RefusalReason(String sqlState) {
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }

    /** The reason a failed upstream connection is refused with. */
    public static RefusalReason of(UpstreamDiagnosis.Kind kind) {
        return switch (kind) {
            case UNRESOLVABLE, UNREACHABLE, TIMED_OUT -> UPSTREAM_UNREACHABLE;
            case NO_TLS -> UPSTREAM_NO_TLS;
            case SERVER_ERROR -> UPSTREAM_ERROR;
            case NOT_POSTGRES, DATA_AFTER_TLS_ANSWER, CLOSED_BEFORE_TLS -> UPSTREAM_PROTOCOL;
            case UNTRUSTED -> CERTIFICATE_UNTRUSTED;
            case SELF_SIGNED -> CERTIFICATE_SELF_SIGNED;
            case HOSTNAME_MISMATCH -> HOSTNAME_MISMATCH;
            case EXPIRED -> CERTIFICATE_EXPIRED;
            case NOT_YET_VALID -> CERTIFICATE_NOT_YET_VALID;
            case HANDSHAKE_FAILED, ALPN_MISMATCH -> UPSTREAM_TLS_HANDSHAKE;
            // An engine starts only with settings that load; meeting this here is a fault of Verifull's.
            case CONFIGURATION -> INTERNAL_ERROR;
        };
    }

    /** Lower-case, dash-separated name used in audit lines and logs. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
