package dev.verifull.tls;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLEngine;

import dev.verifull.tls.UpstreamDiagnosis.Kind;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

/** Explains a failed upstream handshake: the trust manager's diagnosis when it rejected the chain, else the exception's. */
final class HandshakeDiagnosis {
    private final UpstreamTlsSettings settings;
    private final DiagnosingTrustManager trustManager;

    HandshakeDiagnosis(UpstreamTlsSettings settings, DiagnosingTrustManager trustManager) {
        this.settings = settings;
        this.trustManager = trustManager;
    }

    UpstreamDiagnosis diagnose(Throwable failure, SSLEngine engine, boolean directTls) {
        // Take the engine's entry first so it never lingers, then prefer the cause chain.
        UpstreamDiagnosis recorded = trustManager.takeDiagnosis(engine);
        UpstreamDiagnosis carried = findDiagnosis(failure);
        if (carried != null) return carried;
        if (recorded != null) return recorded;
        return fromException(failure, directTls);
    }

    private UpstreamDiagnosis fromException(Throwable failure, boolean directTls) {
        List<Throwable> chain = causes(failure);
        String text = chain.stream().map(t -> String.valueOf(t.getMessage())).reduce("", (a, b) -> a + " " + b)
                .toLowerCase(Locale.ROOT);
        String technical = technical(chain);
        if (directTls && containsAny(text, "application_layer_protocol_negotiation", "application protocol", "alpn")) {
            // The server chose a protocol we did not offer, or refused ours: the handshake ended over it.
            return alpnMismatch(null, technical);
        }
        if (chain.stream().anyMatch(t -> t instanceof SslHandshakeTimeoutException)) {
            return failed("The TLS handshake with the server timed out.", technical, null, directTls);
        }
        if (containsAny(text, "protocol_version", "no appropriate protocol", "unsupported_protocol",
                "protocol version", "wrong_version_number")) {
            String hint = settings.tls13Only()
                    ? "this profile allows only TLS 1.3, and the server seems to offer only older versions. "
                        + "Allow TLS 1.2 in the profile or upgrade the server."
                    : "Verifull uses TLS 1.2 and 1.3; the server seems to offer neither.";
            return failed("The server and Verifull have no TLS version in common.", technical, hint, directTls);
        }
        if (containsAny(text, "certificate_required", "bad_certificate", "certificate_unknown", "unknown_ca",
                "access_denied")) {
            String hint = settings.mutualTls()
                    ? "the server did not accept the profile's client certificate (" + settings.nameOf(settings.clientCertificate())
                        + "); check that it was issued by a CA the server trusts and is still valid."
                    : "the server probably requires a client certificate; add one to the profile.";
            return failed("The server rejected the TLS handshake (client certificate).", technical, hint, directTls);
        }
        if (containsAny(text, "certificate_verify_failed", "certificate verify failed", "pkix", "certpath")) {
            String trust = trustManager.trustDescription();
            return ChainDiagnosis.certificateProblem(Kind.UNTRUSTED,
                    "The server's certificate could not be verified against " + trust + ".", technical, null, trust);
        }
        if (containsAny(text, "handshake_failure", "no_shared_cipher", "no_cipher", "insufficient_security")) {
            return failed("The server and Verifull found no cipher suite or key type in common.", technical, null, directTls);
        }
        if (chain.stream().anyMatch(t -> t instanceof ClosedChannelException)
                || containsAny(text, "closed", "connection reset", "eof")) {
            return failed("The server closed the connection during the TLS handshake.", technical,
                    "check that the server speaks TLS on this port.", directTls);
        }
        return failed("The TLS handshake with the server failed: " + firstMessage(chain), technical, null, directTls);
    }

    /**
     * Direct TLS without the ALPN protocol {@code postgresql}. {@code selected}: what the server
     * selected in a handshake that completed (null: nothing); {@code technical}: the error of a
     * handshake that ended over ALPN instead.
     */
    static UpstreamDiagnosis alpnMismatch(String selected, String technical) {
        String what = technical != null ? "The server and Verifull did not agree on the application protocol \"postgresql\"."
                : "The server did not select the application protocol \"postgresql\" (it selected "
                        + (selected == null || selected.isEmpty() ? "none" : printable(selected)) + ").";
        String why = "PostgreSQL 17 and newer select \"postgresql\" for direct TLS, and libpq refuses a server that does not. "
                + "Such a server may be another service on this port, or a TLS terminator in front of PostgreSQL that does "
                + "not know its protocol (a cross-protocol attack looks the same).";
        return new UpstreamDiagnosis(Kind.ALPN_MISMATCH, "direct TLS without ALPN: " + what,
                technical != null ? why + "\n" + ChainDiagnosis.withoutBlankLines(technical) : why,
                "Check that the port belongs to a PostgreSQL 17 or newer server, or turn direct TLS off "
                        + "(the profile's direct TLS option, serve --upstream-direct-tls) to connect with an SSLRequest.");
    }

    /** A protocol name the server chose, quoted when it is short printable ASCII. */
    private static String printable(String name) {
        return name.length() <= 64 && name.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                ? "\"" + name + "\"" : "a protocol name that cannot be shown";
    }

    private static UpstreamDiagnosis findDiagnosis(Throwable failure) {
        for (Throwable t : causes(failure)) {
            if (t instanceof DiagnosedCertificateException diagnosed) return diagnosed.diagnosis();
        }
        return null;
    }

    /** The throwable, its causes and suppressed exceptions, each once. */
    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> out = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        collect(failure, out, seen);
        return out;
    }

    private static void collect(Throwable t, List<Throwable> out, Map<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, Boolean.TRUE) != null) return;
        out.add(t);
        collect(t.getCause(), out, seen);
        for (Throwable s : t.getSuppressed()) collect(s, out, seen);
    }

    /** Without a hint of its own, the usual advice; direct TLS also needs a new enough server. */
    private UpstreamDiagnosis failed(String explanation, String detail, String hint, boolean directTls) {
        String advice = hint != null ? hint : "Check that the server supports TLS 1.2 or newer"
                + (settings.tls13Only() ? " (this profile requires TLS 1.3)" : "") + ", and its TLS settings and log.";
        if (directTls) advice += " Direct TLS needs PostgreSQL 17 or newer; turn it off for older servers.";
        return new UpstreamDiagnosis(Kind.HANDSHAKE_FAILED, "TLS handshake failed: " + explanation,
                ChainDiagnosis.withoutBlankLines(detail), advice);
    }

    private static boolean containsAny(String text, String... needles) {
        for (String n : needles) if (text.contains(n)) return true;
        return false;
    }

    private static String firstMessage(List<Throwable> chain) {
        for (Throwable t : chain) if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        return chain.isEmpty() ? "unknown error" : chain.get(0).getClass().getSimpleName();
    }

    private static String technical(List<Throwable> chain) {
        StringBuilder sb = new StringBuilder("Technical detail:");
        for (Throwable t : chain) sb.append("\n  ").append(t.getClass().getName()).append(": ").append(t.getMessage());
        return sb.toString();
    }
}
