package dev.verifull.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.profile.CertificateFileInfo.Entry;
import dev.verifull.profile.CertificateFileInfo.WarningKind;
import dev.verifull.testing.TestPki;
import dev.verifull.tls.TlsConfigException;

class CertificateFileInfoTest {
    private static final Instant NOW = Instant.now();

    @TempDir
    Path dir;

    @Test
    void aGoodCaHasItsFactsAndNoWarnings() throws Exception {
        TestPki.Issued ca = TestPki.rootCa("Info Root");
        List<Entry> entries = CertificateFileInfo.read(ca.writeCertificate(dir.resolve("ca.pem")));
        assertEquals(1, entries.size());
        Entry e = entries.get(0);
        assertEquals(ca.certificate().getSubjectX500Principal().getName(), e.subject());
        assertTrue(e.subject().contains("CN=Info Root"), e.subject());
        assertEquals(e.subject(), e.issuer());
        assertTrue(e.isCa());
        assertEquals(ca.certificate().getNotAfter().toInstant(), e.notAfter());
        assertEquals(ca.certificate().getNotBefore().toInstant(), e.notBefore());
        assertTrue(e.sha256Fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), e.sha256Fingerprint());
        assertEquals(List.of(), e.warnings());
    }

    @Test
    void everyCertificateOfABundleInFileOrder() throws Exception {
        TestPki.Issued root = TestPki.rootCa("Bundle Root");
        TestPki.Issued intermediate = TestPki.intermediateCa("Bundle Intermediate", root);
        Path bundle = intermediate.writeCertificate(dir.resolve("bundle.pem"), true);
        List<Entry> entries = CertificateFileInfo.read(bundle);
        assertEquals(List.of(intermediate.certificate().getSubjectX500Principal().getName(),
                root.certificate().getSubjectX500Principal().getName()), entries.stream().map(Entry::subject).toList());
        assertEquals(entries.get(1).subject(), entries.get(0).issuer());
    }

    @Test
    void warnsAboutExpiredSoonNotYetValidAndNotACa() throws Exception {
        TestPki.Issued expired = TestPki.ca("Old", null, NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(2)));
        TestPki.Issued soon = TestPki.ca("Soon", null, NOW.minus(Duration.ofDays(400)), NOW.plus(Duration.ofDays(10)).plusSeconds(60));
        TestPki.Issued future = TestPki.ca("Future", null, NOW.plus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(400)));
        TestPki.Issued leaf = TestPki.server(TestPki.rootCa("Leaf issuer"), "db.example.com");
        Path file = TestPki.writePem(dir.resolve("mixed.pem"), expired.certificate(), soon.certificate(),
                future.certificate(), leaf.certificate());

        List<Entry> entries = CertificateFileInfo.read(file, NOW);
        assertEquals(List.of(WarningKind.EXPIRED), kinds(entries.get(0)));
        assertTrue(entries.get(0).warnings().get(0).text().startsWith("Expired on "), entries.get(0).warnings().toString());
        assertEquals(List.of(WarningKind.EXPIRES_SOON), kinds(entries.get(1)));
        assertTrue(entries.get(1).warnings().get(0).text().endsWith("(in 10 days)"), entries.get(1).warnings().toString());
        assertEquals(List.of(WarningKind.NOT_YET_VALID), kinds(entries.get(2)));
        assertEquals(List.of(WarningKind.NOT_A_CA), kinds(entries.get(3)));
        assertFalse(entries.get(3).isCa());
        assertTrue(entries.get(3).hasWarning(WarningKind.NOT_A_CA));
    }

    @Test
    void aFileWithoutCertificatesIsExplained() throws Exception {
        Path key = TestPki.rootCa("K").writePkcs8Key(dir.resolve("key.pem"));
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> CertificateFileInfo.read(key));
        assertTrue(e.getMessage().contains("contains no certificate: found a private key"), e.getMessage());
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThrows(TlsConfigException.class, () -> CertificateFileInfo.read(text));
        TlsConfigException missing = assertThrows(TlsConfigException.class, () -> CertificateFileInfo.read(dir.resolve("gone.pem")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    private static List<WarningKind> kinds(Entry e) {
        return e.warnings().stream().map(CertificateFileInfo.Warning::kind).toList();
    }
}
