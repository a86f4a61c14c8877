package dev.verifull.profile;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import dev.verifull.tls.CertificateSummary;
import dev.verifull.tls.PemFiles;
import dev.verifull.tls.TlsConfigException;

/** What the editor shows for a CA (or client certificate) file: each certificate and what is wrong with it. */
public final class CertificateFileInfo {
    /** Certificates that end within this time get a warning. */
    public static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private CertificateFileInfo() {}

    public enum WarningKind { EXPIRED, EXPIRES_SOON, NOT_YET_VALID, NOT_A_CA }

    public record Warning(WarningKind kind, String text) {}

    /** One certificate of the file, in file order. */
    public record Entry(CertificateSummary summary, List<Warning> warnings) {
        public Entry {
            warnings = List.copyOf(warnings);
        }

        public String subject() {
            return summary.subject();
        }

        public String issuer() {
            return summary.issuer();
        }

        public Instant notBefore() {
            return summary.notBefore();
        }

        public Instant notAfter() {
            return summary.notAfter();
        }

        public String sha256Fingerprint() {
            return summary.sha256Fingerprint();
        }

        public boolean isCa() {
            return summary.ca();
        }

        public boolean hasWarning(WarningKind kind) {
            return warnings.stream().anyMatch(w -> w.kind() == kind);
        }
    }

    /**
     * Reads every certificate in the file. The {@code NOT_A_CA} warning is meant for CA files;
     * ignore it when showing a client certificate.
     *
     * @throws TlsConfigException the file is missing, unreadable or holds no certificate (the
     *                            message names the file and says what was found instead)
     */
    public static List<Entry> read(Path pemFile) throws TlsConfigException {
        return read(pemFile, Instant.now());
    }

    static List<Entry> read(Path pemFile, Instant now) throws TlsConfigException {
        List<Entry> entries = new ArrayList<>();
        for (X509Certificate c : PemFiles.readCertificates(pemFile)) {
            CertificateSummary s = CertificateSummary.of(c);
            entries.add(new Entry(s, warnings(s, now)));
        }
        return List.copyOf(entries);
    }

    static List<Warning> warnings(CertificateSummary s, Instant now) {
        List<Warning> out = new ArrayList<>();
        if (now.isAfter(s.notAfter())) {
            out.add(new Warning(WarningKind.EXPIRED, "Expired on " + DAY.format(s.notAfter())
                    + ": servers whose chain needs this certificate will be refused"));
        } else if (now.plus(EXPIRY_WARNING).isAfter(s.notAfter())) {
            long days = Duration.between(now, s.notAfter()).toDays();
            out.add(new Warning(WarningKind.EXPIRES_SOON, "Expires on " + DAY.format(s.notAfter())
                    + (days == 0 ? " (today)" : " (in " + days + (days == 1 ? " day)" : " days)"))));
        }
        if (now.isBefore(s.notBefore())) {
            out.add(new Warning(WarningKind.NOT_YET_VALID, "Not valid before " + DAY.format(s.notBefore())
                    + " (check this computer's clock)"));
        }
        if (!s.ca()) {
            out.add(new Warning(WarningKind.NOT_A_CA, "Not a CA certificate: it can only vouch for a server that "
                    + "presents exactly this certificate, not for certificates it would have issued"));
        }
        return out;
    }
}
