package dev.verifull.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;

import dev.verifull.testing.TestPki;

class HostNamesTest {
    private static final TestPki.Issued ROOT = TestPki.rootCa("Names Root");

    @Test
    void ipLiterals_areRecognisedWithoutLookup() {
        assertTrue(HostNames.isIpLiteral("127.0.0.1"));
        assertTrue(HostNames.isIpLiteral("::1"));
        assertTrue(HostNames.isIpLiteral("[fd7a:115c:a1e0::1]"));
        assertFalse(HostNames.isIpLiteral("db.example.com"));
        assertFalse(HostNames.isIpLiteral("1.2.3"));
    }

    @Test
    void sniName_isTheDnsNameWithoutTrailingDot() {
        assertEquals("db.example.com", HostNames.sniName("db.example.com."));
        assertEquals("localhost", HostNames.sniName("localhost"));
        assertNull(HostNames.sniName("10.0.0.1"));
        assertNull(HostNames.sniName("::1"));
    }

    @Test
    void wildcard_matchesExactlyOneLabel() {
        X509Certificate c = TestPki.server(ROOT, "*.db.example.com").certificate();
        assertTrue(HostNames.matches(c, "a.db.example.com"));
        assertTrue(HostNames.matches(c, "A.DB.example.com."));
        assertFalse(HostNames.matches(c, "db.example.com"));
        assertFalse(HostNames.matches(c, "a.b.db.example.com"));
    }

    @Test
    void ipAddresses_compareAsAddresses() {
        X509Certificate c = TestPki.server(ROOT, "db", "fd00:0:0:0:0:0:0:5", "10.0.0.5").certificate();
        assertTrue(HostNames.matches(c, "fd00::5"));
        assertTrue(HostNames.matches(c, "10.0.0.5"));
        assertFalse(HostNames.matches(c, "10.0.0.6"));
        assertFalse(HostNames.matches(c, "db.example.com"));
    }

    @Test
    void commonName_isUsedOnlyWithoutDnsNames() {
        X509Certificate cnOnly = TestPki.client(ROOT, "legacy.example.com", false).certificate(); // no SAN
        assertEquals("legacy.example.com", HostNames.commonName(cnOnly));
        assertTrue(HostNames.matches(cnOnly, "legacy.example.com"));
        X509Certificate withSan = TestPki.server(ROOT, "other.example.com").certificate();
        assertFalse(HostNames.matches(withSan, "legacy.example.com"));
    }
}
