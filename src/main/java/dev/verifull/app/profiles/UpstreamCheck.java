package dev.verifull.app.profiles;

import java.util.List;

import dev.verifull.tls.CertificateSummary;

/**
 * What "Test upstream" found: a verified TLS session (version, cipher, the server's chain) or
 * what failed, with detail and a hint naming the file or name to check.
 */
public record UpstreamCheck(boolean ok, String tlsVersion, String cipher, List<CertificateSummary> chain,
                            String failureKind, String message, String detail, String hint) {
    public UpstreamCheck {
        chain = chain == null ? List.of() : List.copyOf(chain);
    }

    public static UpstreamCheck failed(String kind, String message, String detail, String hint) {
        return new UpstreamCheck(false, null, null, List.of(), kind, message, detail, hint);
    }
}
