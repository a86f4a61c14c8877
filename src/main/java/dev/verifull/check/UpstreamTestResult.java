package dev.verifull.check;

import java.util.List;
import java.util.Set;

import dev.verifull.profile.ProfileValidator;
import dev.verifull.tls.CertificateSummary;
import dev.verifull.tls.UpstreamDiagnosis;

/**
 * What "Test upstream" found: a verified TLS connection with its details, or the diagnosis the
 * engine would give a client for the same problem, with where in the profile to look.
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
 * @param diagnosis     what failed; null when {@link #ok()}. The editor shows its
 *                      {@link UpstreamDiagnosis#sentence() sentence}.
 * @param fields        the editor fields to look at (for highlighting); empty when ok
 * @param toCheck       the concrete files, names or addresses to check, e.g. the CA file paths
 */
public record UpstreamTestResult(boolean ok, String endpoint, String verifiedName, String trust, String tlsVersion,
                                 String cipherSuite, String alpn, List<CertificateSummary> chain, long elapsedMillis,
                                 UpstreamDiagnosis diagnosis, Set<ProfileValidator.Field> fields, List<String> toCheck) {

    public UpstreamTestResult {
        chain = chain == null ? List.of() : List.copyOf(chain);
        fields = fields == null ? Set.of() : Set.copyOf(fields);
        toCheck = toCheck == null ? List.of() : List.copyOf(toCheck);
        if (ok == (diagnosis != null)) throw new IllegalArgumentException("a result is either ok or has a diagnosis");
    }

    /** The server's own certificate, or null when it sent none (or the test failed before). */
    public CertificateSummary serverCertificate() {
        return chain.isEmpty() ? null : chain.get(0);
    }
}
