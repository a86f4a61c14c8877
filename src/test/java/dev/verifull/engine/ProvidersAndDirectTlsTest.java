package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;
import dev.verifull.tls.TlsProvider;

/** Every TLS provider carries real sessions; direct TLS works towards the upstream; ALPN is enforced. */
class ProvidersAndDirectTlsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsProvider.class)
    void eachProviderCarriesSessionsBothWays(TlsProvider provider) throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).provider(provider)
                .serverName("localhost").tls13Only(true).start()) {
            for (String mode : new String[] {"disable", "verify-full&sslrootcert=" + h.localCaFile()}) {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + h.port() + "/postgres?sslmode=" + mode,
                        "postgres", "");
                     ResultSet rs = c.createStatement().executeQuery("select version from pg_stat_ssl where pid = pg_backend_pid()")) {
                    assertTrue(rs.next());
                    assertEquals("TLSv1.3", rs.getString(1), "tls13Only reaches the server");
                }
            }
            SessionEvent start = h.awaitType(SessionEvent.Type.START);
            assertEquals("TLSv1.3", start.record().upstreamTlsProtocol());
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17, 18})
    void directTlsTowardsTheUpstream(int major) throws Exception {
        PgServer pg = PgServer.shared(major, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).directTls(true).start();
             Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + h.port() + "/postgres?sslmode=disable",
                     "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("select ssl from pg_stat_ssl where pid = pg_backend_pid()")) {
            assertTrue(rs.next());
            assertTrue(rs.getBoolean(1));
        }
    }

    @Test
    void directTlsWithoutAlpnIsRefused() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).start()) {
            X509Certificate ca;
            try (InputStream in = java.nio.file.Files.newInputStream(h.localCaFile())) {
                ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", h.port())) {
                s.setSoTimeout(10_000);
                s.startHandshake(); // no ALPN offered
                s.getOutputStream().write(ClientProtocolTest.startup(java.util.Map.of("user", "postgres")));
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                try {
                    s.getInputStream().transferTo(got);
                } catch (java.io.IOException closed) {
                    // the proxy closes after its error
                }
                String answer = got.toString(StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("E") && answer.contains("ALPN"), answer);
            }
            assertEquals(RefusalReason.CLIENT_TLS, h.awaitType(SessionEvent.Type.REFUSED).record().refusalReason());
        }
    }
}
