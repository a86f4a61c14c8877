package dev.verifull.sessions;

import java.util.Locale;

import dev.verifull.audit.AuditEvent;
import dev.verifull.audit.AuditFields;
import dev.verifull.audit.AuditInstance;
import dev.verifull.audit.AuditLog;
import dev.verifull.engine.LocalOnlyAdmission;
import dev.verifull.engine.PeerIdentity;
import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionListener;
import dev.verifull.engine.SessionRecord;

/** Writes one audit record per session start, end and refusal. Never blocks the event loop. */
public final class SessionAuditor implements SessionListener {
    private final AuditLog log;
    private final String instance;

    /** Records carry this host's name as their instance. */
    public SessionAuditor(AuditLog log) {
        this(log, AuditInstance.defaultName());
    }

    /** @param instance the name that tells this process's records from other replicas' */
    public SessionAuditor(AuditLog log, String instance) {
        this.log = log;
        this.instance = instance;
    }

    @Override
    public void onSessionEvent(SessionEvent event) {
        log.record(toAudit(event, instance));
    }

    public static AuditEvent toAudit(SessionEvent event) {
        return toAudit(event, AuditInstance.defaultName());
    }

    public static AuditEvent toAudit(SessionEvent event, String instance) {
        SessionRecord r = event.record();
        String type = switch (event.type()) {
            case START -> AuditEvent.SESSION_START;
            case END -> AuditEvent.SESSION_END;
            case REFUSED -> AuditEvent.SESSION_REFUSED;
        };
        AuditEvent.Builder b = AuditEvent.builder(type, r.sessionId(), r.engine())
                .time(event.type() == SessionEvent.Type.START || r.endedAt() == null ? r.startedAt() : r.endedAt())
                .put(AuditFields.KIND, r.kind())
                .put(AuditFields.CLIENT_ADDRESS, r.clientAddress())
                .put(AuditFields.CLIENT_PORT, r.clientPort())
                .put(AuditFields.CLIENT_TRANSPORT, r.clientTransport().name().toLowerCase(Locale.ROOT))
                .put(AuditFields.CLIENT_TLS_VERSION, r.clientTlsProtocol())
                .put(AuditFields.CLIENT_TLS_CIPHER, r.clientTlsCipher());
        PeerIdentity id = r.identity();
        if (id != null && LocalOnlyAdmission.SOURCE.equals(id.source())) {
            b.put(AuditFields.LOCAL_USER, id.loginName());
        } else if (id != null && !"none".equals(id.source())) {
            b.put(AuditFields.TAILSCALE_LOGIN, id.loginName())
                    .put(AuditFields.TAILSCALE_DISPLAY_NAME, id.displayName())
                    .put(AuditFields.TAILSCALE_NODE, id.machine())
                    .put(AuditFields.TAILSCALE_NODE_ID, id.nodeId())
                    .put(AuditFields.TAILSCALE_OS, id.os());
            if (!id.tags().isEmpty()) b.put(AuditFields.TAILSCALE_TAGS, id.tags());
        }
        b.put(AuditFields.ACCESS, r.accessDecision())
                .put(AuditFields.UPSTREAM_HOST, r.upstreamHost())
                .put(AuditFields.UPSTREAM_PORT, r.upstreamPort())
                .put(AuditFields.UPSTREAM_TLS_VERSION, r.upstreamTlsProtocol())
                .put(AuditFields.UPSTREAM_TLS_CIPHER, r.upstreamTlsCipher())
                .put(AuditFields.UPSTREAM_CERT_SUBJECT, r.upstreamCertificateSubject())
                .put(AuditFields.UPSTREAM_CERT_SHA256, r.upstreamCertificateSha256())
                .put(AuditFields.PROTOCOL_VERSION, r.protocolVersion())
                .put(AuditFields.USER, r.user())
                .put(AuditFields.DATABASE, r.database())
                .put(AuditFields.APPLICATION_NAME, r.applicationName())
                .put(AuditFields.BACKEND_PID, r.backendPid());
        if (event.type() != SessionEvent.Type.START) {
            b.put(AuditFields.OUTCOME, r.outcome().name().toLowerCase(Locale.ROOT))
                    .put(AuditFields.REFUSAL_REASON, r.refusalReason() != null ? r.refusalReason().code() : null)
                    .put(AuditFields.SQLSTATE, r.sqlState())
                    .put(AuditFields.MESSAGE, r.message())
                    .put(AuditFields.DETAIL, r.detail())
                    .put(AuditFields.HINT, r.hint())
                    .put(AuditFields.UPSTREAM_UNAUTHENTICATED_ERROR, r.upstreamUnauthenticatedError())
                    .put(AuditFields.END_REASON, r.endReason())
                    .put(AuditFields.ENDED_BY, r.end() != null ? r.end().endedBy().code() : null)
                    .put(AuditFields.END_CAUSE, r.end() != null ? r.end().cause().code() : null)
                    .put(AuditFields.END_SQLSTATE, r.end() != null ? r.end().sqlState() : null)
                    .put(AuditFields.BYTES_FROM_CLIENT, r.bytesFromClient())
                    .put(AuditFields.BYTES_TO_CLIENT, r.bytesToClient());
            if (r.endedAt() != null) b.put(AuditFields.DURATION_MS, r.duration(r.endedAt()).toMillis());
        }
        return b.put(AuditFields.INSTANCE, instance).build();
    }
}
