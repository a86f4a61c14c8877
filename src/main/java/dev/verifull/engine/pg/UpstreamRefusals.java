package dev.verifull.engine.pg;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

import javax.net.ssl.SSLEngine;

import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.Refusal;
import dev.verifull.engine.RefusalReason;
import dev.verifull.tls.TlsFailure;
import dev.verifull.tls.UpstreamTls;
import dev.verifull.wire.ErrorResponse;
import io.netty.channel.ConnectTimeoutException;

/** The refusals of the upstream leg, worded so a person knows what happened and what to check. */
final class UpstreamRefusals {
    private UpstreamRefusals() {}

    static Refusal unresolvable(EngineConfig c, Throwable cause) {
        return Refusal.of(RefusalReason.UPSTREAM_UNREACHABLE,
                "cannot resolve the upstream host name " + c.upstreamHost() + " (" + describe(cause) + ")",
                "Check the upstream host name in the profile and this machine's DNS.");
    }

    static Refusal unreachable(EngineConfig c, Throwable cause) {
        String why = cause instanceof ConnectTimeoutException
                ? "no answer within " + c.upstreamConnectTimeout().toSeconds() + " s"
                : describe(cause);
        return Refusal.of(RefusalReason.UPSTREAM_UNREACHABLE,
                "cannot reach the upstream server " + c.upstreamEndpoint() + " (" + why + ")",
                "Check that the upstream host and port are right and that the server is running and reachable from this machine.");
    }

    static Refusal timedOut(EngineConfig c, long millis) {
        return Refusal.of(RefusalReason.UPSTREAM_UNREACHABLE,
                "the upstream server " + c.upstreamEndpoint() + " did not complete a verified TLS connection within "
                        + (millis / 1000) + " s",
                "Check that the upstream is a PostgreSQL server with TLS enabled and that the network path is not blocked.");
    }

    static Refusal noTls(EngineConfig c) {
        return Refusal.of(RefusalReason.UPSTREAM_NO_TLS,
                "the upstream server " + c.upstreamEndpoint() + " does not accept TLS connections (it answered 'N' to the SSLRequest)",
                "Verifull only connects upstream over verified TLS. Turn on ssl in the server's configuration, or check that the port belongs to the right server.");
    }

    static Refusal errorToTlsRequest(EngineConfig c, ErrorResponse e) {
        return new Refusal(RefusalReason.UPSTREAM_ERROR,
                "the upstream server " + c.upstreamEndpoint() + " answered the TLS request with an error: " + e.message(),
                e.detail(),
                "The server may be too old for TLS negotiation or not ready; check its log.");
    }

    static Refusal notPostgres(EngineConfig c, byte first) {
        return Refusal.of(RefusalReason.UPSTREAM_PROTOCOL,
                "the upstream server " + c.upstreamEndpoint() + " did not answer the TLS request as PostgreSQL does (first byte 0x"
                        + String.format("%02x", first & 0xff) + ")",
                "Check that " + c.upstreamEndpoint() + " is a PostgreSQL server and not another service or a plaintext proxy.");
    }

    static Refusal dataAfterTlsAnswer(EngineConfig c) {
        return Refusal.of(RefusalReason.UPSTREAM_PROTOCOL,
                "the upstream server " + c.upstreamEndpoint() + " sent unencrypted data after agreeing to TLS",
                "Something between Verifull and the server may be tampering with the connection (CVE-2021-23222 pattern).");
    }

    static Refusal closedBeforeTls(EngineConfig c) {
        return Refusal.of(RefusalReason.UPSTREAM_PROTOCOL,
                "the upstream server " + c.upstreamEndpoint() + " closed the connection before answering the TLS request",
                "Check the server's log; it may be overloaded or refusing this machine's address.");
    }

    static Refusal tlsFailed(EngineConfig c, Throwable cause, SSLEngine engine) {
        TlsFailure f = c.upstreamTls().classify(cause, engine);
        UpstreamTls tls = c.upstreamTls();
        String trust = tls.trustDescription();
        RefusalReason reason = switch (f.kind()) {
            case UNTRUSTED -> RefusalReason.CERTIFICATE_UNTRUSTED;
            case SELF_SIGNED -> RefusalReason.CERTIFICATE_SELF_SIGNED;
            case HOSTNAME_MISMATCH -> RefusalReason.HOSTNAME_MISMATCH;
            case EXPIRED -> RefusalReason.CERTIFICATE_EXPIRED;
            case NOT_YET_VALID -> RefusalReason.CERTIFICATE_NOT_YET_VALID;
            default -> RefusalReason.UPSTREAM_TLS_HANDSHAKE;
        };
        String what = switch (f.kind()) {
            case UNTRUSTED -> "certificate not trusted";
            case SELF_SIGNED -> "self-signed certificate not trusted";
            case HOSTNAME_MISMATCH -> "certificate does not match the name " + c.verifiedName();
            case EXPIRED -> "certificate expired";
            case NOT_YET_VALID -> "certificate not yet valid";
            default -> "TLS handshake failed";
        };
        String fallbackHint = switch (f.kind()) {
            case UNTRUSTED, SELF_SIGNED -> "Verifull checked the certificate against " + trust
                    + ". Add the CA that issued the server's certificate (for a cloud database: the provider's CA bundle).";
            case HOSTNAME_MISMATCH -> "Connect to a name the certificate lists, or set the server name (--upstream-server-name) to one of them.";
            case EXPIRED, NOT_YET_VALID -> "Check the server's certificate dates and this machine's clock.";
            default -> "Check that the server supports TLS 1.2 or newer"
                    + (tls.settings().tls13Only() ? " (this profile requires TLS 1.3)" : "")
                    + ", and its TLS settings and log.";
        };
        // The classifier words its own hint into the detail; PostgreSQL has a field for hints.
        StringBuilder detail = new StringBuilder();
        String hint = null;
        for (String line : (f.detail() == null ? "" : f.detail()).split("\n")) {
            if (line.startsWith("Hint: ")) hint = line.substring(6);
            else if (!line.isBlank()) detail.append(detail.length() > 0 ? "\n" : "").append(line);
        }
        if (hint == null) hint = fallbackHint;
        else if (f.kind() != TlsFailure.Kind.HANDSHAKE_FAILED) hint = hint + " (verified against " + trust + ")";
        return new Refusal(reason, "upstream " + c.upstreamEndpoint() + ": " + what + ": " + f.message(),
                detail.length() > 0 ? detail.toString() : null, hint);
    }

    static Refusal clientGone(EngineConfig c) {
        return Refusal.of(RefusalReason.UPSTREAM_UNREACHABLE, "the client went away", null);
    }

    static Refusal unexpected(EngineConfig c, Throwable cause) {
        return Refusal.of(RefusalReason.UPSTREAM_UNREACHABLE,
                "the connection to the upstream server " + c.upstreamEndpoint() + " failed (" + describe(cause) + ")",
                "Check the server and the network path; see the Verifull log for details.");
    }

    static String describe(Throwable t) {
        if (t instanceof UnknownHostException) return "unknown host";
        if (t instanceof ClosedChannelException) return "connection closed";
        String m = t.getMessage();
        if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
            if (m != null && m.toLowerCase().contains("refused")) return "connection refused";
        }
        if (m == null || m.isBlank()) return t.getClass().getSimpleName();
        // Netty prefixes native errors with the syscall ("connect(..) failed: ..."): keep the reason.
        int colon = m.lastIndexOf(": ");
        return colon > 0 && m.startsWith("connect(") ? m.substring(colon + 2) : m;
    }
}
