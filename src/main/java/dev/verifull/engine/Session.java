package dev.verifull.engine;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's mutable view of one connection. Written from the session's event loop, read as
 * {@link SessionRecord} snapshots from any thread; the monitor keeps snapshots consistent.
 */
public final class Session {
    private final long id;
    private final String engine;
    private final Clock clock;
    private final String clientAddress;
    private final int clientPort;
    private final Instant startedAt;
    private final AtomicLong bytesFromClient = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();

    private String kind = "session";
    private ClientTransport clientTransport = ClientTransport.UNKNOWN;
    private String clientTlsProtocol;
    private String clientTlsCipher;
    private PeerIdentity identity = PeerIdentity.UNKNOWN;
    private String accessDecision;
    private final String upstreamHost;
    private final int upstreamPort;
    private String upstreamTlsProtocol;
    private String upstreamTlsCipher;
    private String upstreamCertificateSubject;
    private String upstreamCertificateSha256;
    private String protocolVersion;
    private String user;
    private String database;
    private String applicationName;
    private Outcome outcome = Outcome.IN_PROGRESS;
    private RefusalReason refusalReason;
    private String sqlState;
    private String message;
    private String detail;
    private String hint;
    private Integer backendPid;
    private Instant endedAt;
    private SessionEnd end;
    private String upstreamUnauthenticatedError;
    private boolean started;
    private boolean holdsSlot;

    Session(long id, String engine, Clock clock, InetSocketAddress client, String upstreamHost, int upstreamPort) {
        this.id = id;
        this.engine = engine;
        this.clock = clock;
        this.clientAddress = client.getAddress() != null ? client.getAddress().getHostAddress() : client.getHostString();
        this.clientPort = client.getPort();
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.startedAt = clock.instant();
    }

    public long id() {
        return id;
    }

    public synchronized void cancelRequest() {
        kind = "cancel";
    }

    public synchronized boolean isCancel() {
        return "cancel".equals(kind);
    }

    public synchronized void clientTransport(ClientTransport transport, String tlsProtocol, String tlsCipher) {
        this.clientTransport = transport;
        this.clientTlsProtocol = tlsProtocol;
        this.clientTlsCipher = tlsCipher;
    }

    public synchronized ClientTransport clientTransport() {
        return clientTransport;
    }

    public synchronized void admitted(Admission admission) {
        this.identity = admission.identity() != null ? admission.identity() : PeerIdentity.UNKNOWN;
        this.accessDecision = admission.decision();
    }

    public synchronized void upstreamTls(String protocol, String cipher, String subject, String sha256) {
        this.upstreamTlsProtocol = protocol;
        this.upstreamTlsCipher = cipher;
        this.upstreamCertificateSubject = subject;
        this.upstreamCertificateSha256 = sha256;
    }

    /** The server's answer to the SSLRequest was an error: its text, for the audit log only (see SessionRecord). */
    public synchronized void upstreamUnauthenticatedError(String text) {
        this.upstreamUnauthenticatedError = text;
    }

    public synchronized void startup(String protocolVersion, String user, String database, String applicationName) {
        this.protocolVersion = protocolVersion;
        this.user = user;
        this.database = database;
        this.applicationName = applicationName;
    }

    public synchronized void outcome(Outcome outcome) {
        this.outcome = outcome;
    }

    public synchronized void serverRejected(String sqlState, String message) {
        serverRejected(sqlState, message, null, null);
    }

    /** The server's ErrorResponse during the login, as passed on to the client. */
    public synchronized void serverRejected(String sqlState, String message, String detail, String hint) {
        this.outcome = Outcome.SERVER_REJECTED;
        this.sqlState = sqlState;
        this.message = message;
        this.detail = detail;
        this.hint = hint;
    }

    public synchronized void refused(Refusal refusal) {
        this.outcome = Outcome.REFUSED;
        this.refusalReason = refusal.reason();
        this.sqlState = refusal.sqlState();
        this.message = refusal.message();
        this.detail = refusal.detail();
        this.hint = refusal.hint();
    }

    /** The server's backend process id from its BackendKeyData. */
    public synchronized void backendPid(int pid) {
        this.backendPid = pid;
    }

    public synchronized Outcome outcome() {
        return outcome;
    }

    /** Marks the session as started (upstream has the StartupMessage); false if it already was. */
    synchronized boolean markStarted() {
        if (started) return false;
        started = true;
        return true;
    }

    /** Marks a session slot as held; false if it already was. */
    synchronized boolean holdSlot() {
        if (holdsSlot) return false;
        holdsSlot = true;
        return true;
    }

    /** Gives the slot up; true if one was held. */
    synchronized boolean releaseSlot() {
        boolean held = holdsSlot;
        holdsSlot = false;
        return held;
    }

    synchronized boolean wasStarted() {
        return started;
    }

    /** Ends the session once; later calls return false and change nothing. */
    synchronized boolean end(SessionEnd how) {
        if (endedAt != null) return false;
        endedAt = clock.instant();
        end = how;
        if (outcome == Outcome.IN_PROGRESS) outcome = Outcome.ABANDONED;
        return true;
    }

    public synchronized boolean ended() {
        return endedAt != null;
    }

    public void addBytesFromClient(long n) {
        bytesFromClient.addAndGet(n);
    }

    public void addBytesToClient(long n) {
        bytesToClient.addAndGet(n);
    }

    public synchronized SessionRecord snapshot() {
        return new SessionRecord(id, engine, kind, clientAddress, clientPort, clientTransport, clientTlsProtocol,
                clientTlsCipher, identity, accessDecision, upstreamHost, upstreamPort, upstreamTlsProtocol,
                upstreamTlsCipher, upstreamCertificateSubject, upstreamCertificateSha256, protocolVersion, user,
                database, applicationName, outcome, refusalReason, sqlState, message, startedAt, endedAt,
                bytesFromClient.get(), bytesToClient.get(), end != null ? end.text() : null, detail, hint, backendPid,
                upstreamUnauthenticatedError, end);
    }
}
