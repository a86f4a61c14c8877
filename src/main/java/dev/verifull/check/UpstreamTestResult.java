package dev.verifull.check;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.verifull.profile.ProfileValidator;
import dev.verifull.tls.CertificateSummary;

/**
 * What "Test upstream" found: a verified TLS connection with its details, or what failed.
 *
 * @param endpoint      {@code host:port} tried
 * @param verifiedName  the name the certificate had to match (server name, else host)
 * @param trust         where trust came from ({@code CA file /x/ca.pem}, {@code the system trust
 *                      store}); null when the profile's TLS settings could not be loaded
 * @param tlsVersion    e.g. {@code TLSv1.3}; null on failure
 * @param alpn          the negotiated ALPN protocol ({@code postgresql} with direct TLS), or null
 * @param chain         the certificates the server sent, its own first; may be filled on failure
 *                      too (empty when the server sent none)
 * @param elapsedMillis from the start of the test to its result
 * @param failure       null when {@link #ok()}
 */
public record UpstreamTestResult(boolean ok, String endpoint, String verifiedName, String trust, String tlsVersion,
                                 String cipherSuite, String alpn, List<CertificateSummary> chain, long elapsedMillis,
                                 Failure failure) {

    public enum FailureKind {
        /** The profile cannot be tried: invalid host or port, missing or unreadable CA or key file, provider. */
        CONFIGURATION,
        /** The host name does not resolve, or nothing accepts connections at host and port. */
        UNREACHABLE,
        /** No verified connection within the time limit. */
        TIMED_OUT,
        /** The server answered 'N': it does not accept TLS. */
        NO_TLS,
        /** The server answered the TLS request with a PostgreSQL error. */
        SERVER_ERROR,
        /** The answer was not PostgreSQL's (another service, a plaintext proxy, injected bytes). */
        PROTOCOL,
        UNTRUSTED, SELF_SIGNED, HOSTNAME_MISMATCH, EXPIRED, NOT_YET_VALID,
        /** Any other TLS failure: versions, ciphers, client certificate rejected, closed mid-handshake. */
        HANDSHAKE_FAILED
    }

    /**
     * @param message one sentence, worded like the engine's refusal for the same problem
     * @param detail  facts behind it (certificates, names, dates, technical detail); may be empty
     * @param hint    what to do about it
     * @param fields  the editor fields to look at (for highlighting)
     * @param toCheck the concrete files, names or addresses to check, e.g. the CA file paths
     */
    public record Failure(FailureKind kind, String message, String detail, String hint,
                          Set<ProfileValidator.Field> fields, List<String> toCheck) {
        public Failure {
            Objects.requireNonNull(kind, "kind");
            detail = detail == null ? "" : detail;
            hint = hint == null ? "" : hint;
            fields = Set.copyOf(fields);
            toCheck = List.copyOf(toCheck);
        }
    }

    public UpstreamTestResult {
        chain = chain == null ? List.of() : List.copyOf(chain);
        if (ok == (failure != null)) throw new IllegalArgumentException("a result is either ok or has a failure");
    }

    /** The server's own certificate, or null when it sent none (or the test failed before). */
    public CertificateSummary serverCertificate() {
        return chain.isEmpty() ? null : chain.get(0);
    }
}
