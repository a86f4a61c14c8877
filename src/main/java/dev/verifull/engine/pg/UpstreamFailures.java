package dev.verifull.engine.pg;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

import javax.net.ssl.SSLEngine;

import dev.verifull.engine.UpstreamTarget;
import dev.verifull.engine.pg.UpstreamFailure.Kind;
import dev.verifull.tls.TlsFailure;
import dev.verifull.wire.ErrorResponse;
import io.netty.channel.ConnectTimeoutException;

/** The failures of a verified upstream connection, worded so a person knows what happened and what to check. */
final class UpstreamFailures {
    private UpstreamFailures() {}

    static UpstreamFailure unresolvable(UpstreamTarget t, Throwable cause) {
        return new UpstreamFailure(Kind.UNRESOLVABLE,
                "cannot resolve the upstream host name " + t.host() + " (" + describe(cause) + ")", null,
                "Check the upstream host name in the profile and this machine's DNS.");
    }

    static UpstreamFailure unreachable(UpstreamTarget t, Throwable cause) {
        String why = cause instanceof ConnectTimeoutException
                ? "no answer within " + seconds(t.connectTimeout().toMillis())
                : describe(cause);
        return new UpstreamFailure(Kind.UNREACHABLE,
                "cannot reach the upstream server " + t.endpoint() + " (" + why + ")", null,
                "Check that the upstream host and port are right and that the server is running and reachable from this machine.");
    }

    static UpstreamFailure timedOut(UpstreamTarget t) {
        return new UpstreamFailure(Kind.TIMED_OUT,
                "the upstream server " + t.endpoint() + " did not complete a verified TLS connection within "
                        + seconds(t.deadline().toMillis()), null,
                "Check that the upstream is a PostgreSQL server with TLS enabled and that the network path is not blocked.");
    }

    static UpstreamFailure noTls(UpstreamTarget t) {
        return new UpstreamFailure(Kind.NO_TLS,
                "the upstream server " + t.endpoint() + " does not accept TLS connections (it answered 'N' to the SSLRequest)", null,
                "Verifull only connects upstream over verified TLS. Turn on ssl in the server's configuration, or check that the port belongs to the right server.");
    }

    static UpstreamFailure errorToTlsRequest(UpstreamTarget t, ErrorResponse e) {
        return new UpstreamFailure(Kind.SERVER_ERROR,
                "the upstream server " + t.endpoint() + " answered the TLS request with an error: " + e.message(),
                e.detail(),
                "The server may be too old for TLS negotiation or not ready; check its log.");
    }

    static UpstreamFailure notPostgres(UpstreamTarget t, byte first) {
        return new UpstreamFailure(Kind.NOT_POSTGRES,
                "the upstream server " + t.endpoint() + " did not answer the TLS request as PostgreSQL does (first byte 0x"
                        + String.format("%02x", first & 0xff) + ")", null,
                "Check that " + t.endpoint() + " is a PostgreSQL server and not another service or a plaintext proxy.");
    }

    static UpstreamFailure dataAfterTlsAnswer(UpstreamTarget t) {
        return new UpstreamFailure(Kind.DATA_AFTER_TLS_ANSWER,
                "the upstream server " + t.endpoint() + " sent unencrypted data after agreeing to TLS", null,
                "Something between Verifull and the server may be tampering with the connection (CVE-2021-23222 pattern).");
    }

    static UpstreamFailure closedBeforeTls(UpstreamTarget t) {
        return new UpstreamFailure(Kind.CLOSED_BEFORE_TLS,
                "the upstream server " + t.endpoint() + " closed the connection before answering the TLS request", null,
                "Check the server's log; it may be overloaded or refusing this machine's address.");
    }

    /** A failed handshake of a handler from {@code t.tls()}, explained by its classifier. */
    static UpstreamFailure tlsFailed(UpstreamTarget t, Throwable cause, SSLEngine engine) {
        TlsFailure f = t.tls().classify(cause, engine);
        String trust = t.tls().trustDescription();
        String what = switch (f.kind()) {
            case UNTRUSTED -> "certificate not trusted";
            case SELF_SIGNED -> "self-signed certificate not trusted";
            case HOSTNAME_MISMATCH -> "certificate name mismatch"; // the classifier's sentence names both sides
            case EXPIRED -> "certificate expired";
            case NOT_YET_VALID -> "certificate not yet valid";
            case HANDSHAKE_FAILED -> "TLS handshake failed";
        };
        String fallbackHint = switch (f.kind()) {
            case UNTRUSTED, SELF_SIGNED -> "Verifull checked the certificate against " + trust
                    + ". Add the CA that issued the server's certificate (for a cloud database: the provider's CA bundle).";
            case HOSTNAME_MISMATCH -> "Connect to a name the certificate lists, or set the server name (--upstream-server-name) to one of them.";
            case EXPIRED, NOT_YET_VALID -> "Check the server's certificate dates and this machine's clock.";
            case HANDSHAKE_FAILED -> "Check that the server supports TLS 1.2 or newer"
                    + (t.tls().settings().tls13Only() ? " (this profile requires TLS 1.3)" : "")
                    + ", and its TLS settings and log.";
        };
        // The classifier words its own hint into the detail; PostgreSQL has a field for hints.
        StringBuilder detail = new StringBuilder();
        String hint = null;
        for (String line : f.detail().split("\n")) {
            if (line.startsWith("Hint: ")) hint = line.substring(6);
            else if (!line.isBlank()) detail.append(detail.length() > 0 ? "\n" : "").append(line);
        }
        if (hint == null) hint = fallbackHint;
        else if (f.kind() != TlsFailure.Kind.HANDSHAKE_FAILED) hint = hint + " (verified against " + trust + ")";
        if (f.kind() == TlsFailure.Kind.HANDSHAKE_FAILED && t.directTls()) {
            hint = hint + " Direct TLS needs PostgreSQL 17 or newer; turn it off for older servers.";
        }
        return new UpstreamFailure(Kind.of(f.kind()), what + ": " + f.message(), detail.toString(), hint);
    }

    static String describe(Throwable t) {
        if (t instanceof UnknownHostException) return "unknown host";
        if (t instanceof ClosedChannelException) return "connection closed";
        String m = t.getMessage();
        if ((t instanceof ConnectException || t instanceof NoRouteToHostException)
                && m != null && m.toLowerCase(Locale.ROOT).contains("refused")) {
            return "connection refused";
        }
        if (m == null || m.isBlank()) return t.getClass().getSimpleName();
        // Netty prefixes native errors with the syscall ("connect(..) failed: ..."): keep the reason.
        int colon = m.lastIndexOf(": ");
        return colon > 0 && m.startsWith("connect(") ? m.substring(colon + 2) : m;
    }

    /** {@code 10 s}, {@code 0.7 s}. */
    static String seconds(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
