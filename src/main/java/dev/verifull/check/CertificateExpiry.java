package dev.verifull.check;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.verifull.tls.CertificateSummary;
import dev.verifull.tls.PemFiles;
import dev.verifull.tls.TlsConfigException;

/**
 * When a certificate a profile relies on stops being valid: the upstream server's own (as the
 * last check saw it) or a CA in a configured CA file. The one computation behind the expiry
 * metrics, {@code serve}'s warnings and the app's: within {@link #WARN_DAYS} days, or past, it
 * warrants a warning, since every client will be refused from that day on.
 *
 * @param role    {@link Role#UPSTREAM} or {@link Role#CA}
 * @param subject the certificate's subject (RFC 2253)
 * @param source  where it comes from: the upstream endpoint, or the CA file's path
 */
public record CertificateExpiry(Role role, String subject, String source, Instant notAfter) {
    public static final int WARN_DAYS = 30;

    public enum Role {
        UPSTREAM("upstream"), CA("ca");

        private final String label;

        Role(String label) {
            this.label = label;
        }

        /** {@code upstream} or {@code ca}: the metrics label. */
        public String label() {
            return label;
        }
    }

    /** Days from {@code now} to the end date, fractional; negative once expired. */
    public double daysLeft(Instant now) {
        return Duration.between(now, notAfter).toSeconds() / 86_400.0;
    }

    /** Expired, or expires within {@link #WARN_DAYS} days. */
    public boolean warrantsWarning(Instant now) {
        return daysLeft(now) < WARN_DAYS;
    }

    /** E.g. "The upstream's certificate (CN=db) expires in 12 days (2027-01-01)." */
    public String warning(Instant now) {
        String what = role == Role.UPSTREAM ? "The upstream's certificate (" + subject + ")"
                : "The CA certificate " + subject + " in " + source;
        long days = (long) Math.floor(daysLeft(now));
        String day = notAfter.toString().substring(0, 10);
        if (daysLeft(now) < 0) return what + " expired on " + day + ": clients are refused until it is replaced.";
        return what + " expires " + (days == 0 ? "within a day" : "in " + days + (days == 1 ? " day" : " days"))
                + " (" + day + "): replace it before then, or every client will be refused.";
    }

    /** A few words for a list line: "The server's certificate expires in 12 days", "A CA certificate has expired". */
    public String headline(Instant now) {
        String what = role == Role.UPSTREAM ? "The server's certificate" : "A CA certificate";
        long days = (long) Math.floor(daysLeft(now));
        if (daysLeft(now) < 0) return what + " has expired";
        return what + " expires " + (days == 0 ? "within a day" : "in " + days + (days == 1 ? " day" : " days"));
    }

    /** The upstream's own certificate from a check's result; null when the check saw none. */
    public static CertificateExpiry ofUpstream(UpstreamTestResult result) {
        CertificateSummary leaf = result == null ? null : result.serverCertificate();
        return leaf == null ? null : new CertificateExpiry(Role.UPSTREAM, leaf.subject(), result.endpoint(), leaf.notAfter());
    }

    /**
     * Every certificate in the CA files. A file that cannot be read is left out: the engine and
     * "Test upstream" report it in their own words.
     */
    public static List<CertificateExpiry> ofCaFiles(List<Path> files) {
        List<CertificateExpiry> out = new ArrayList<>();
        for (Path file : files) {
            try {
                for (X509Certificate c : PemFiles.readCertificates(file)) {
                    out.add(new CertificateExpiry(Role.CA, CertificateSummary.of(c).subject(), file.toString(),
                            c.getNotAfter().toInstant()));
                }
            } catch (TlsConfigException e) {
                // reported elsewhere
            }
        }
        return out;
    }
}
