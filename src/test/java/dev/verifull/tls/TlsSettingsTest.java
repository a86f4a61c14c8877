package dev.verifull.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.verifull.testing.TestPki;
import dev.verifull.testing.TestPki.Issued;

/** Provider selection, settings validation and the configuration errors of {@link UpstreamTls#create}. */
class TlsSettingsTest {
    private static final Issued ROOT = TestPki.rootCa("Settings Root");

    @TempDir
    Path dir;

    @Test
    void providerIds_parseInAnyCase() {
        assertEquals(TlsProvider.JDK, TlsProvider.parse("jdk"));
        assertEquals(TlsProvider.BOUNCY_CASTLE, TlsProvider.parse("BC"));
        assertEquals(TlsProvider.OPENSSL, TlsProvider.parse(" OpenSSL "));
        assertEquals(TlsProvider.OPENSSL, TlsProvider.parse("auto"), "auto prefers OpenSSL where it loads");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsProvider.parse("gnutls"));
        assertTrue(e.getMessage().contains("jdk, bc or openssl"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void everyProvider_isAvailableOnThisMachine(TlsProvider provider) {
        assertTrue(provider.isAvailable(), provider.unavailableReason());
        assertNull(provider.unavailableReason());
    }

    @Test
    void providers_mapToNetty() {
        assertEquals(SslProvider.JDK, TlsProvider.JDK.sslProvider());
        assertNull(TlsProvider.JDK.sslContextProvider());
        assertEquals(SslProvider.JDK, TlsProvider.BOUNCY_CASTLE.sslProvider());
        assertEquals("BCJSSE", TlsProvider.BOUNCY_CASTLE.sslContextProvider().getName());
        assertEquals(SslProvider.OPENSSL, TlsProvider.OPENSSL.sslProvider());
        assertNull(java.security.Security.getProvider("BCJSSE"), "nothing registered globally");
        assertNull(java.security.Security.getProvider("BC"), "nothing registered globally");
    }

    @Test
    void settings_needExactlyOneTrustSource() {
        Path ca = dir.resolve("ca.pem");
        assertThrows(IllegalArgumentException.class,
                () -> new UpstreamTlsSettings(List.of(), false, null, null, false, TlsProvider.JDK));
        assertThrows(IllegalArgumentException.class,
                () -> new UpstreamTlsSettings(List.of(ca), true, null, null, false, TlsProvider.JDK));
        assertEquals(List.of(ca), new UpstreamTlsSettings(List.of(ca), false, null, null, false, TlsProvider.JDK).caFiles());
        assertEquals(List.of(), new UpstreamTlsSettings(null, true, null, null, false, TlsProvider.JDK).caFiles());
    }

    @Test
    void settings_needCertificateAndKeyTogether() {
        Path ca = dir.resolve("ca.pem");
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> new UpstreamTlsSettings(List.of(ca), false, dir.resolve("c.crt"), null, false, TlsProvider.JDK));
        assertTrue(noKey.getMessage().contains("without its private key"), noKey.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new UpstreamTlsSettings(List.of(ca), false, null, dir.resolve("c.key"), false, TlsProvider.JDK));
    }

    @Test
    void missingCaFile_isNamedInTheError() {
        Path missing = dir.resolve("missing-ca.pem");

        TlsConfigException e = assertThrows(TlsConfigException.class,
                () -> UpstreamTls.create(UpstreamTlsSettings.withCaFiles(TlsProvider.JDK, missing)));

        assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
    }

    @Test
    void clientKeyOfAnotherCertificate_isRejected() throws Exception {
        Issued client = TestPki.client(ROOT, "alice", false);
        Issued other = TestPki.client(ROOT, "bob", false);
        UpstreamTlsSettings settings = UpstreamTlsSettings.withCaFiles(TlsProvider.JDK, ROOT.writeCertificate(dir.resolve("ca.pem")))
                .withClientCertificate(client.writeCertificate(dir.resolve("alice.crt")), other.writePkcs8Key(dir.resolve("bob.key")));

        TlsConfigException e = assertThrows(TlsConfigException.class, () -> UpstreamTls.create(settings));

        assertTrue(e.getMessage().contains("bob.key does not belong to the client certificate"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void systemTrust_loadsTheJdkTrustStore(TlsProvider provider) throws Exception {
        UpstreamTls tls = UpstreamTls.create(UpstreamTlsSettings.withSystemTrust(provider));

        assertEquals("the system trust store", tls.trustDescription());
        assertTrue(tls.settings().systemTrust());
    }

    @Test
    void oneCaFile_isDescribedByName() throws Exception {
        Path ca = ROOT.writeCertificate(dir.resolve("ca.pem"));

        assertEquals("CA file " + ca, UpstreamTls.create(UpstreamTlsSettings.withCaFiles(TlsProvider.JDK, ca)).trustDescription());
    }
}
