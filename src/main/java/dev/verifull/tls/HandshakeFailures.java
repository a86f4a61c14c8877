package dev.verifull.tls;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLEngine;

import io.netty.handler.ssl.SslHandshakeTimeoutException;

import dev.verifull.tls.TlsFailure.Kind;

/** Turns an upstream handshake failure into a {@link TlsFailure}. */
final class HandshakeFailures {
    private final UpstreamTlsSettings settings;
    private final DiagnosingTrustManager trustManager;

    HandshakeFailures(UpstreamTlsSettings settings, DiagnosingTrustManager trustManager) {
        this.settings = settings;
        this.trustManager = trustManager;
    }

    TlsFailure classify(Throwable failure, SSLEngine engine) {
        // Take the engine's entry first so it never lingers, then prefer the cause chain.
        TlsFailure recorded = trustManager.takeFailure(engine);
        TlsFailure carried = findDiagnosis(failure);
        if (carried != null) return carried;
        if (recorded != null) return recorded;
        return fromException(failure);
    }

    private TlsFailure fromException(Throwable failure) {
        List<Throwable> chain = causes(failure);
        String text = chain.stream().map(t -> String.valueOf(t.getMessage())).reduce("", (a, b) -> a + " " + b)
                .toLowerCase(Locale.ROOT);
        String technical = technical(chain);
        if (chain.stream().anyMatch(t -> t instanceof SslHandshakeTimeoutException)) {
            return failed("The TLS handshake with the server timed out.", technical);
        }
        if (containsAny(text, "protocol_version", "no appropriate protocol", "unsupported_protocol",
                "protocol version", "wrong_version_number")) {
            String hint = settings.tls13Only()
                    ? "Hint: this profile allows only TLS 1.3, and the server seems to offer only older versions. "
                        + "Allow TLS 1.2 in the profile or upgrade the server."
                    : "Hint: Verifull uses TLS 1.2 and 1.3; the server seems to offer neither.";
            return failed("The server and Verifull have no TLS version in common.", hint + "\n" + technical);
        }
        if (containsAny(text, "certificate_required", "bad_certificate", "certificate_unknown", "unknown_ca",
                "access_denied")) {
            String hint = settings.mutualTls()
                    ? "Hint: the server did not accept the profile's client certificate (" + settings.clientCertificate()
                        + "); check that it was issued by a CA the server trusts and is still valid."
                    : "Hint: the server probably requires a client certificate; add one to the profile.";
            return failed("The server rejected the TLS handshake (client certificate).", hint + "\n" + technical);
        }
        if (containsAny(text, "certificate_verify_failed", "certificate verify failed", "pkix", "certpath")) {
            return new TlsFailure(Kind.UNTRUSTED, "The server's certificate could not be verified against "
                    + trustManager.trustDescription() + ".", technical);
        }
        if (containsAny(text, "handshake_failure", "no_shared_cipher", "no_cipher", "insufficient_security")) {
            return failed("The server and Verifull found no cipher suite or key type in common.", technical);
        }
        if (chain.stream().anyMatch(t -> t instanceof ClosedChannelException)
                || containsAny(text, "closed", "connection reset", "eof")) {
            return failed("The server closed the connection during the TLS handshake.",
                    "Hint: check that the server speaks TLS on this port.\n" + technical);
        }
        return failed("The TLS handshake with the server failed: " + firstMessage(chain), technical);
    }

    private static TlsFailure findDiagnosis(Throwable failure) {
        for (Throwable t : causes(failure)) {
            if (t instanceof DiagnosedCertificateException) return ((DiagnosedCertificateException) t).failure();
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

    private static TlsFailure failed(String message, String detail) {
        return new TlsFailure(Kind.HANDSHAKE_FAILED, message, detail);
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
