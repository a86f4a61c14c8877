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
 * @param chain         the certificates the server sent, its own first; filled on a failed
 *                      verification too (empty when the server sent none or the test failed before)
 * @param elapsedMillis from the start of the test to its result
 * @param diagnosis     what failed; null when {@link #ok()}. The editor shows its
 *                      {@link UpstreamDiagnosis#sentence() sentence}.
 * @param fields        the editor fields to look at (for highlighting); empty when ok
 * @param toCheck       the concrete files, names or addresses to check, e.g. the CA file paths
 * @param trustAnchor   the trusted CA certificate the chain was matched to (the server's own when
 *                      it is trusted directly); null when the chain leads to none or there is none
 */
public record UpstreamTestResult(boolean ok, String endpoint, String verifiedName, String trust, String tlsVersion,
                                 String cipherSuite, String alpn, List<CertificateSummary> chain, long elapsedMillis,
                                 UpstreamDiagnosis diagnosis, Set<ProfileValidator.Field> fields, List<String> toCheck,
                                 CertificateSummary trustAnchor) {

    /** A result without a matched CA (a failure before the chain, or a test double). */
    public UpstreamTestResult(boolean ok, String endpoint, String verifiedName, String trust, String tlsVersion,
                              String cipherSuite, String alpn, List<CertificateSummary> chain, long elapsedMillis,
                              UpstreamDiagnosis diagnosis, Set<ProfileValidator.Field> fields, List<String> toCheck) {
        this(ok, endpoint, verifiedName, trust, tlsVersion, cipherSuite, alpn, chain, elapsedMillis, diagnosis, fields, toCheck, null);
    }

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

    /**
     * The names the server's certificate carries that could be used as the profile's server name:
     * offered when the name did not match. Wildcards are left out (a server name is one name), and
     * so are IPv6 addresses (a host, not a name to verify against, in practice).
     */
    public List<String> namesToOffer() {
        CertificateSummary leaf = serverCertificate();
        if (ok || leaf == null || diagnosis.kind() != UpstreamDiagnosis.Kind.HOSTNAME_MISMATCH) return List.of();
        List<String> names = new java.util.ArrayList<>();
        for (String n : leaf.dnsNames()) if (!n.startsWith("*") && !n.equalsIgnoreCase(verifiedName)) names.add(n);
        for (String ip : leaf.ipAddresses()) if (!ip.contains(":") && !ip.equals(verifiedName)) names.add(ip);
        return List.copyOf(names);
    }
}
