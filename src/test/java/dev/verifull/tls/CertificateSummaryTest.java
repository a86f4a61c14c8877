package dev.verifull.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.verifull.testing.TestPki;
import dev.verifull.testing.TestPki.Issued;

class CertificateSummaryTest {
    private static final Issued ROOT = TestPki.rootCa("Summary Root");

    @Test
    void leaf_summarisesNamesDatesAndFingerprint() throws Exception {
        Issued leaf = TestPki.server(ROOT, "db.example.com", "db", "10.0.0.5", "fd00::5");

        CertificateSummary s = CertificateSummary.of(leaf.certificate());

        assertEquals(leaf.certificate().getSubjectX500Principal().getName(), s.subject());
        assertTrue(s.subject().contains("CN=db.example.com"), s.subject());
        assertTrue(s.issuer().contains("CN=Summary Root"), s.issuer());
        assertEquals(List.of("db.example.com", "db"), s.dnsNames());
        assertEquals(2, s.ipAddresses().size());
        assertEquals("10.0.0.5", s.ipAddresses().get(0));
        assertEquals(leaf.certificate().getNotAfter().toInstant(), s.notAfter());
        assertEquals(leaf.certificate().getNotBefore().toInstant(), s.notBefore());
        assertFalse(s.ca());
        assertFalse(s.selfIssued());
        String expected = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.certificate().getEncoded()));
        assertEquals(expected, s.sha256Fingerprint());
        assertEquals(95, s.sha256Fingerprint().length());
        assertTrue(s.names().startsWith("db.example.com, db, 10.0.0.5, "), s.names());
    }

    @Test
    void root_isCaAndSelfIssued_withoutNames() {
        CertificateSummary s = CertificateSummary.of(ROOT.certificate());

        assertTrue(s.ca());
        assertTrue(s.selfIssued());
        assertEquals("(none)", s.names());
    }
}
