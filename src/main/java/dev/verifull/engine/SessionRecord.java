package dev.verifull.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * An immutable snapshot of one connection attempt. Fields that are not known (yet) are null.
 *
 * @param kind              {@code session} or {@code cancel}
 * @param bytesFromClient   bytes relayed client → server after the startup phase began
 * @param bytesToClient     bytes relayed server → client
 * @param message           the error the client was told (Verifull's refusal or the server's rejection)
 * @param detail            that error's DETAIL, as the client received it; null when it had none
 * @param hint              that error's HINT, as the client received it; null when it had none
 * @param backendPid        the server's backend process id (BackendKeyData), as in pg_stat_activity.pid;
 *                          null until the server sent it
 * @param upstreamUnauthenticatedError the server's ErrorResponse to the SSLRequest (SQLSTATE,
 *                          message, detail), kept for the audit log only: it came before TLS, so
 *                          nothing shows the server wrote it, and clients are never shown it
 * @param endReason         how the session ended, as people read it ({@code end.text()}); null while live
 * @param end               who ended the session and how; null while live (and in records made before it existed)
 */
public record SessionRecord(
        long id,
        String engine,
        String kind,
        String clientAddress,
        int clientPort,
        ClientTransport clientTransport,
        String clientTlsProtocol,
        String clientTlsCipher,
        PeerIdentity identity,
        String accessDecision,
        String upstreamHost,
        int upstreamPort,
        String upstreamTlsProtocol,
        String upstreamTlsCipher,
        String upstreamCertificateSubject,
        String upstreamCertificateSha256,
        String protocolVersion,
        String user,
        String database,
        String applicationName,
        Outcome outcome,
        RefusalReason refusalReason,
        String sqlState,
        String message,
        Instant startedAt,
        Instant endedAt,
        long bytesFromClient,
        long bytesToClient,
        String endReason,
        String detail,
        String hint,
        Integer backendPid,
        String upstreamUnauthenticatedError,
        SessionEnd end) {

    /** A record without a machine-readable end. */
    public SessionRecord(long id, String engine, String kind, String clientAddress, int clientPort,
                         ClientTransport clientTransport, String clientTlsProtocol, String clientTlsCipher,
                         PeerIdentity identity, String accessDecision, String upstreamHost, int upstreamPort,
                         String upstreamTlsProtocol, String upstreamTlsCipher, String upstreamCertificateSubject,
                         String upstreamCertificateSha256, String protocolVersion, String user, String database,
                         String applicationName, Outcome outcome, RefusalReason refusalReason, String sqlState,
                         String message, Instant startedAt, Instant endedAt, long bytesFromClient, long bytesToClient,
                         String endReason, String detail, String hint, Integer backendPid,
                         String upstreamUnauthenticatedError) {
        this(id, engine, kind, clientAddress, clientPort, clientTransport, clientTlsProtocol, clientTlsCipher, identity,
                accessDecision, upstreamHost, upstreamPort, upstreamTlsProtocol, upstreamTlsCipher,
                upstreamCertificateSubject, upstreamCertificateSha256, protocolVersion, user, database, applicationName,
                outcome, refusalReason, sqlState, message, startedAt, endedAt, bytesFromClient, bytesToClient, endReason,
                detail, hint, backendPid, upstreamUnauthenticatedError, null);
    }

    /** A record without an unauthenticated upstream error. */
    public SessionRecord(long id, String engine, String kind, String clientAddress, int clientPort,
                         ClientTransport clientTransport, String clientTlsProtocol, String clientTlsCipher,
                         PeerIdentity identity, String accessDecision, String upstreamHost, int upstreamPort,
                         String upstreamTlsProtocol, String upstreamTlsCipher, String upstreamCertificateSubject,
                         String upstreamCertificateSha256, String protocolVersion, String user, String database,
                         String applicationName, Outcome outcome, RefusalReason refusalReason, String sqlState,
                         String message, Instant startedAt, Instant endedAt, long bytesFromClient, long bytesToClient,
                         String endReason, String detail, String hint, Integer backendPid) {
        this(id, engine, kind, clientAddress, clientPort, clientTransport, clientTlsProtocol, clientTlsCipher, identity,
                accessDecision, upstreamHost, upstreamPort, upstreamTlsProtocol, upstreamTlsCipher,
                upstreamCertificateSubject, upstreamCertificateSha256, protocolVersion, user, database, applicationName,
                outcome, refusalReason, sqlState, message, startedAt, endedAt, bytesFromClient, bytesToClient, endReason,
                detail, hint, backendPid, null, null);
    }

    /** The session id as people and the audit log see it (unique across restarts and instances, see {@link SessionIds}). */
    public String sessionId() {
        return SessionIds.format(id);
    }

    public boolean active() {
        return endedAt == null;
    }

    public Duration duration(Instant now) {
        return Duration.between(startedAt, endedAt != null ? endedAt : now);
    }

    /** Client address as {@code ip:port}, IPv6 in brackets. */
    public String clientEndpoint() {
        return (clientAddress != null && clientAddress.contains(":") ? "[" + clientAddress + "]" : clientAddress)
                + ":" + clientPort;
    }
}
