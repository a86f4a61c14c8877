package dev.verifull.engine.pg;

import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.Refusal;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.Session;
import dev.verifull.wire.ProtocolViolationException;

/** What a client is told when its startup phase is refused, worded in one place. */
final class StartupRefusals {
    private StartupRefusals() {}

    static Refusal identityUnavailable(Session session, Throwable error) {
        return Refusal.of(RefusalReason.IDENTITY_UNAVAILABLE,
                "cannot tell who is connecting from " + session.snapshot().clientAddress() + " (" + error.getMessage() + ")",
                "Check that Tailscale is running on this machine.");
    }

    static Refusal invalidPacket(ProtocolViolationException e) {
        return Refusal.of(RefusalReason.CLIENT_PROTOCOL, "invalid startup packet: " + e.getMessage(),
                "The client does not speak the PostgreSQL protocol, or sent something unexpected. Connect with a PostgreSQL client.");
    }

    static Refusal outOfOrder(String what) {
        return Refusal.of(RefusalReason.CLIENT_PROTOCOL, what,
                "The client sent messages out of order; connect with a PostgreSQL client.");
    }

    static Refusal dataAfterSslRequest() {
        return Refusal.of(RefusalReason.CLIENT_PROTOCOL,
                "unencrypted data received after the SSLRequest, before the TLS handshake",
                "Something between the client and Verifull may be tampering with the connection.");
    }

    static Refusal clientWithoutAlpn() {
        return Refusal.of(RefusalReason.CLIENT_TLS,
                "direct TLS connections must negotiate the ALPN protocol \"postgresql\"",
                "Use a PostgreSQL 17+ client with sslnegotiation=direct, or connect with the usual SSLRequest.");
    }

    static Refusal directTlsNotOffered(String engine) {
        return Refusal.of(RefusalReason.CLIENT_TLS,
                "the client started with direct TLS, but '" + engine + "' does not offer TLS to clients",
                "Connect without sslnegotiation=direct (the client's leg needs no TLS: it stays on this machine or "
                        + "inside the tailnet), or turn on \"Offer TLS to clients\" (serve: --client-tls on).");
    }

    static Refusal clientTlsFailed(Throwable cause) {
        String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return Refusal.of(RefusalReason.CLIENT_TLS,
                "the TLS handshake with the client failed (" + why + ")",
                "If the client verifies certificates, give it Verifull's local CA (sslrootcert) and connect to a name the CA issued for.");
    }

    static Refusal tooManySessions(EngineConfig config) {
        return Refusal.of(RefusalReason.TOO_MANY_SESSIONS,
                "too many sessions on '" + config.name() + "' (limit " + config.maxSessions() + ")",
                "Close idle connections, or raise the limit (--max-sessions / the profile's session limit).");
    }

    static Refusal droppedAsOldest(EngineConfig config, StartupPool pool) {
        return Refusal.of(RefusalReason.TOO_MANY_STARTUPS,
                "too many connections to '" + config.name() + "' are still in their startup phase (limit " + pool.limits()
                        + "); this one was the oldest and was dropped",
                "Connect again. If this keeps happening, something opens connections without logging in (a port scan, stuck clients).");
    }

    static Refusal timedOut(EngineConfig config) {
        return Refusal.of(RefusalReason.CLIENT_TIMEOUT,
                "no complete startup message within " + config.handshakeTimeout().toSeconds() + " s",
                "The client was too slow or stalled during the TLS or startup handshake.");
    }

    static Refusal upstreamClosedBeforeLogin(EngineConfig config) {
        return Refusal.of(RefusalReason.UPSTREAM_UNREACHABLE,
                "the upstream server " + config.upstreamEndpoint() + " closed the verified connection before the login",
                "Check the server's log (authentication_timeout, connection limits).");
    }

    static Refusal internalError(Throwable cause) {
        return Refusal.of(RefusalReason.INTERNAL_ERROR, "internal error during the startup phase: " + cause,
                "Please report this with the Verifull log.");
    }
}
