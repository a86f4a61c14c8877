package dev.verifull.manager;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.verifull.manager.UpstreamTestResult.Failure;
import dev.verifull.manager.UpstreamTestResult.FailureKind;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator.Field;
import dev.verifull.tls.TlsFailure;
import dev.verifull.tls.UpstreamTls;
import dev.verifull.wire.ErrorResponse;
import io.netty.channel.ConnectTimeoutException;

/**
 * The failures of "Test upstream", in the same words as the engine's refusals for the same
 * problems (engine.pg.UpstreamRefusals), so the test and a real connection tell the same story;
 * plus the editor fields and the files or names to check.
 */
final class UpstreamTestFailures {
    private final Profile profile;
    private final String endpoint;

    UpstreamTestFailures(Profile profile) {
        this.profile = profile;
        String host = profile.upstreamHost() == null ? "" : profile.upstreamHost();
        this.endpoint = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + profile.upstreamPort();
    }

    String endpoint() {
        return endpoint;
    }

    /** The name the certificate must carry: the server name, else the host. */
    String verifiedName() {
        String sn = profile.serverName();
        return sn != null && !sn.isBlank() ? sn.strip() : profile.upstreamHost();
    }

    Failure configuration(String message, Set<Field> fields) {
        return new Failure(FailureKind.CONFIGURATION, message, "",
                "Fix the profile's settings, then test again.", fields, toCheckFor(fields));
    }

    Failure unresolvable(Throwable cause) {
        return new Failure(FailureKind.UNREACHABLE, "Cannot resolve the upstream host name " + profile.upstreamHost()
                + " (" + describe(cause) + ").", "", "Check the upstream host name in the profile and this machine's DNS.",
                EnumSet.of(Field.UPSTREAM_HOST), List.of(profile.upstreamHost()));
    }

    Failure unreachable(Throwable cause, long timeoutMillis) {
        String why = cause instanceof ConnectTimeoutException ? "no answer within " + seconds(timeoutMillis) : describe(cause);
        return new Failure(FailureKind.UNREACHABLE, "Cannot reach the upstream server " + endpoint + " (" + why + ").", "",
                "Check that the upstream host and port are right and that the server is running and reachable from this machine.",
                EnumSet.of(Field.UPSTREAM_HOST, Field.UPSTREAM_PORT), List.of(endpoint));
    }

    Failure timedOut(long millis) {
        return new Failure(FailureKind.TIMED_OUT, "The upstream server " + endpoint
                        + " did not complete a verified TLS connection within " + seconds(millis) + ".", "",
                "Check that the upstream is a PostgreSQL server with TLS enabled and that the network path is not blocked.",
                EnumSet.of(Field.UPSTREAM_HOST, Field.UPSTREAM_PORT), List.of(endpoint));
    }

    Failure noTls() {
        return new Failure(FailureKind.NO_TLS, "The upstream server " + endpoint
                        + " does not accept TLS connections (it answered 'N' to the SSLRequest).", "",
                "Verifull only connects upstream over verified TLS. Turn on ssl in the server's configuration, "
                        + "or check that the port belongs to the right server.",
                EnumSet.of(Field.UPSTREAM_PORT), List.of(endpoint));
    }

    Failure serverError(ErrorResponse e) {
        return new Failure(FailureKind.SERVER_ERROR, "The upstream server " + endpoint
                        + " answered the TLS request with an error: " + e.message(), e.detail(),
                "The server may be too old for TLS negotiation or not ready; check its log.",
                EnumSet.of(Field.UPSTREAM_PORT), List.of(endpoint));
    }

    Failure notPostgres(byte first) {
        return new Failure(FailureKind.PROTOCOL, "The upstream server " + endpoint
                        + " did not answer the TLS request as PostgreSQL does (first byte 0x"
                        + String.format("%02x", first & 0xff) + ").", "",
                "Check that " + endpoint + " is a PostgreSQL server and not another service or a plaintext proxy.",
                EnumSet.of(Field.UPSTREAM_HOST, Field.UPSTREAM_PORT), List.of(endpoint));
    }

    Failure dataAfterTlsAnswer() {
        return new Failure(FailureKind.PROTOCOL, "The upstream server " + endpoint
                        + " sent unencrypted data after agreeing to TLS.", "",
                "Something between Verifull and the server may be tampering with the connection (CVE-2021-23222 pattern).",
                EnumSet.noneOf(Field.class), List.of(endpoint));
    }

    Failure closedBeforeTls() {
        return new Failure(FailureKind.PROTOCOL, "The upstream server " + endpoint
                        + " closed the connection before answering the TLS request.", "",
                "Check the server's log; it may be overloaded or refusing this machine's address.",
                EnumSet.of(Field.UPSTREAM_PORT), List.of(endpoint));
    }

    /** A failed handshake, explained by {@link UpstreamTls#classify}. */
    Failure tls(TlsFailure f, UpstreamTls tls) {
        String trust = tls.trustDescription();
        FailureKind kind = switch (f.kind()) {
            case UNTRUSTED -> FailureKind.UNTRUSTED;
            case SELF_SIGNED -> FailureKind.SELF_SIGNED;
            case HOSTNAME_MISMATCH -> FailureKind.HOSTNAME_MISMATCH;
            case EXPIRED -> FailureKind.EXPIRED;
            case NOT_YET_VALID -> FailureKind.NOT_YET_VALID;
            case HANDSHAKE_FAILED -> FailureKind.HANDSHAKE_FAILED;
        };
        String what = switch (f.kind()) {
            case UNTRUSTED -> "Certificate not trusted";
            case SELF_SIGNED -> "Self-signed certificate not trusted";
            case HOSTNAME_MISMATCH -> "Certificate name mismatch"; // the classifier's sentence names both sides
            case EXPIRED -> "Certificate expired";
            case NOT_YET_VALID -> "Certificate not yet valid";
            case HANDSHAKE_FAILED -> "TLS handshake failed";
        };
        String fallbackHint = switch (f.kind()) {
            case UNTRUSTED, SELF_SIGNED -> "Verifull checked the certificate against " + trust
                    + ". Add the CA that issued the server's certificate (for a cloud database: the provider's CA bundle).";
            case HOSTNAME_MISMATCH -> "Connect to a name the certificate lists, or set the server name to one of them.";
            case EXPIRED, NOT_YET_VALID -> "Check the server's certificate dates and this machine's clock.";
            case HANDSHAKE_FAILED -> "Check that the server supports TLS 1.2 or newer"
                    + (profile.tls13Only() ? " (this profile requires TLS 1.3)" : "") + ", and its TLS settings and log.";
        };
        // The classifier words its hint into the detail as a "Hint: " line; it belongs in the hint.
        StringBuilder detail = new StringBuilder();
        String hint = null;
        for (String line : f.detail().split("\n")) {
            if (line.startsWith("Hint: ")) hint = line.substring(6);
            else if (!line.isBlank()) detail.append(detail.length() > 0 ? "\n" : "").append(line);
        }
        if (hint == null) hint = fallbackHint;
        else if (f.kind() != TlsFailure.Kind.HANDSHAKE_FAILED) hint = hint + " (verified against " + trust + ")";
        if (f.kind() == TlsFailure.Kind.HANDSHAKE_FAILED && profile.directTls()) {
            hint = hint + " Direct TLS needs PostgreSQL 17 or newer; turn it off for older servers.";
        }
        Set<Field> fields = EnumSet.noneOf(Field.class);
        List<String> toCheck = new ArrayList<>();
        switch (f.kind()) {
            case UNTRUSTED, SELF_SIGNED -> {
                fields.add(Field.CA_FILES);
                if (profile.systemTrust()) toCheck.add("the system trust store");
                else toCheck.addAll(profile.caFiles());
            }
            case HOSTNAME_MISMATCH -> {
                fields.add(blank(profile.serverName()) ? Field.UPSTREAM_HOST : Field.SERVER_NAME);
                toCheck.add(verifiedName());
            }
            case HANDSHAKE_FAILED -> {
                if (tls.settings().mutualTls() && f.message().toLowerCase(Locale.ROOT).contains("client certificate")) {
                    fields.add(Field.CLIENT_CERTIFICATE);
                    fields.add(Field.CLIENT_KEY);
                    toCheck.add(profile.clientCertificateFile());
                }
            }
            default -> { }
        }
        return new Failure(kind, what + ": " + f.message(), detail.toString(), hint, fields, toCheck);
    }

    private List<String> toCheckFor(Set<Field> fields) {
        List<String> out = new ArrayList<>();
        if (fields.contains(Field.CA_FILES)) out.addAll(profile.caFiles());
        if (fields.contains(Field.CLIENT_CERTIFICATE) && !blank(profile.clientCertificateFile())) out.add(profile.clientCertificateFile());
        if (fields.contains(Field.CLIENT_KEY) && !blank(profile.clientKeyFile())) out.add(profile.clientKeyFile());
        return out;
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
        int colon = m.lastIndexOf(": "); // Netty's native errors: "connect(..) failed: Connection refused"
        return colon > 0 && m.startsWith("connect(") ? m.substring(colon + 2) : m;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
