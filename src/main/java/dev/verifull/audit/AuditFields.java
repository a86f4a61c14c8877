package dev.verifull.audit;

/**
 * Names of the fields that audit records carry besides the header, so every writer spells them the
 * same way. Meanings and types are in docs/audit-log.md; the log itself accepts any name.
 */
public final class AuditFields {
    private AuditFields() {}

    /** Which process wrote the record: the host (pod) name, or {@code serve --instance NAME}. The last field. */
    public static final String INSTANCE = "instance";

    // client side
    public static final String KIND = "kind";
    public static final String CLIENT_ADDRESS = "client_address";
    public static final String CLIENT_PORT = "client_port";
    public static final String CLIENT_TRANSPORT = "client_transport";
    public static final String CLIENT_TLS_VERSION = "client_tls_version";
    public static final String CLIENT_TLS_CIPHER = "client_tls_cipher";

    // upstream side
    public static final String UPSTREAM_HOST = "upstream_host";
    public static final String UPSTREAM_PORT = "upstream_port";
    public static final String UPSTREAM_TLS_VERSION = "upstream_tls_version";
    public static final String UPSTREAM_TLS_CIPHER = "upstream_tls_cipher";
    public static final String UPSTREAM_CERT_SUBJECT = "upstream_cert_subject";
    public static final String UPSTREAM_CERT_SHA256 = "upstream_cert_sha256";

    // from the StartupMessage
    public static final String PROTOCOL_VERSION = "protocol_version";
    public static final String USER = "user";
    public static final String DATABASE = "database";
    public static final String APPLICATION_NAME = "application_name";

    // from the server's BackendKeyData: the session's row in pg_stat_activity
    public static final String BACKEND_PID = "backend_pid";

    // how it went
    public static final String OUTCOME = "outcome";
    public static final String REFUSAL_REASON = "refusal_reason";
    public static final String SQLSTATE = "sqlstate";
    public static final String MESSAGE = "message";
    public static final String DETAIL = "detail";
    public static final String HINT = "hint";
    /** The upstream's ErrorResponse to the SSLRequest: sent before TLS, so unauthenticated; never shown to clients. */
    public static final String UPSTREAM_UNAUTHENTICATED_ERROR = "upstream_unauthenticated_error";
    /** How the session ended, as people read it (kept as before; {@link #ENDED_BY} and {@link #END_CAUSE} are for machines). */
    public static final String END_REASON = "end_reason";
    /** {@code client}, {@code server} or {@code verifull}. */
    public static final String ENDED_BY = "ended_by";
    /** {@code client_terminate}, {@code client_closed}, {@code server_closed}, {@code server_error}, {@code refused}, … */
    public static final String END_CAUSE = "end_cause";
    /** The SQLSTATE of the server's FATAL error that ended the session ({@code end_cause} {@code server_error}). */
    public static final String END_SQLSTATE = "end_sqlstate";
    public static final String BYTES_FROM_CLIENT = "bytes_from_client";
    public static final String BYTES_TO_CLIENT = "bytes_to_client";
    public static final String DURATION_MS = "duration_ms";

    // who, according to tailscaled (whois), and what the profile's rules decided
    public static final String TAILSCALE_LOGIN = "tailscale_login";
    public static final String TAILSCALE_DISPLAY_NAME = "tailscale_display_name";
    public static final String TAILSCALE_NODE = "tailscale_node";
    public static final String TAILSCALE_NODE_ID = "tailscale_node_id";
    public static final String TAILSCALE_TAGS = "tailscale_tags";
    public static final String TAILSCALE_OS = "tailscale_os";
    public static final String ACCESS = "access";
    /** Local-only mode: the OS user of this machine, instead of a Tailscale identity. */
    public static final String LOCAL_USER = "local_user";
}
