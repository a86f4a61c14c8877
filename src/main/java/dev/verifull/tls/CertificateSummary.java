package dev.verifull.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * The facts about a certificate that a person needs to recognise it.
 *
 * @param subject           distinguished name (RFC 2253)
 * @param issuer            issuer's distinguished name (RFC 2253)
 * @param dnsNames          DNS subject alternative names
 * @param ipAddresses       IP address subject alternative names
 * @param sha256Fingerprint SHA-256 of the DER encoding, upper-case hex bytes separated by colons
 * @param ca                whether the basic constraints mark it as a CA
 * @param pem               the certificate itself, PEM-encoded
 */
public record CertificateSummary(String subject, String issuer, List<String> dnsNames, List<String> ipAddresses,
                                 Instant notBefore, Instant notAfter, String sha256Fingerprint, boolean ca, String pem) {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    public CertificateSummary {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    public static CertificateSummary of(X509Certificate certificate) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (List<?> san : subjectAltNames(certificate)) {
            int type = (Integer) san.get(0);
            if (type == SAN_DNS) dns.add((String) san.get(1));
            if (type == SAN_IP) ips.add((String) san.get(1));
        }
        return new CertificateSummary(
                certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                certificate.getIssuerX500Principal().getName(X500Principal.RFC2253),
                dns, ips,
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
                sha256(certificate),
                certificate.getBasicConstraints() >= 0,
                pem(certificate));
    }

    private static String pem(X509Certificate certificate) {
        try {
            String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    /** All DNS and IP names, e.g. {@code db.example.com, 10.0.0.5}; {@code (none)} when there are none. */
    public String names() {
        List<String> all = new ArrayList<>(dnsNames);
        all.addAll(ipAddresses);
        return all.isEmpty() ? "(none)" : String.join(", ", all);
    }

    /** Subject equals issuer: a root CA or a self-signed leaf. */
    public boolean selfIssued() {
        return subject.equals(issuer);
    }

    private static Collection<List<?>> subjectAltNames(X509Certificate certificate) {
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            return sans == null ? List.of() : sans;
        } catch (CertificateParsingException e) {
            return List.of(); // a broken extension: show no names rather than fail the summary
        }
    }

    static String sha256(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            StringBuilder hex = new StringBuilder(digest.length * 3);
            for (byte b : digest) {
                if (hex.length() > 0) hex.append(':');
                hex.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)));
                hex.append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
    }
}
