package dev.verifull.engine;

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

    /** Lower-case, dash-separated name used in audit lines and logs. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
