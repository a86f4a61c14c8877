package dev.verifull.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CA rotation under a live engine, as with the RDS 2024 rotation: the server's certificate is
 * re-issued by a new CA and the CA file is replaced while a session is open through Verifull.
 * The open session goes on, new sessions verify against the new CA, and a CA file that then turns
 * to garbage leaves the last good CA in use with the status saying so.
 */
class TrustRotationTest {
    @TempDir
    Path dir;

    @Test
    void aReplacedCaFileAppliesToNewSessionsWithoutDroppingLiveOnes() throws Exception {
        TestPki.Issued oldCa = TestPki.rootCa("Old Root");
        TestPki.Issued oldServer = TestPki.server(oldCa, "localhost", "127.0.0.1");
        Path caFile = oldCa.writeCertificate(dir.resolve("upstream-ca.pem"));
        PgServer.Options tls = PgServer.Options.tls().withTls(oldServer.writeCertificate(dir.resolve("old.crt")),
                oldServer.writePkcs8Key(dir.resolve("old.key")));
        try (PgServer pg = PgServer.start(17, tls);
             EngineHarness h = EngineHarness.builder(dir.resolve("engine"), pg.port()).ca(caFile).serverName("localhost").start()) {
            TrustReloadStatus status = new TrustReloadStatus();
            h.engine.config().upstreamTls().addReloadListener(status);
            String url = "jdbc:postgresql://127.0.0.1:" + h.port() + "/postgres?sslmode=disable&user=postgres";

            try (Connection live = DriverManager.getConnection(url)) {
                assertEquals("before", value(live, "select 'before'"));

                // The server rotates to a certificate from a new CA: Verifull still trusts only the old one.
                TestPki.Issued newCa = TestPki.rootCa("New Root");
                TestPki.Issued newServer = TestPki.server(newCa, "localhost", "127.0.0.1");
                writePrivate(pg.dataDir().resolve("server.crt"), newServer.writeCertificate(dir.resolve("new.crt")));
                writePrivate(pg.dataDir().resolve("server.key"), newServer.writePkcs8Key(dir.resolve("new.key")));
                pg.reload();
                SQLException untrusted = assertThrows(SQLException.class, () -> DriverManager.getConnection(url).close());
                assertTrue(untrusted.getMessage().contains("verifull:"), untrusted.getMessage());

                // The CA file is replaced (by rename, as configuration tools do) under the running engine.
                Path staged = newCa.writeCertificate(dir.resolve("staged.pem"));
                Files.move(staged, caFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                try (Connection fresh = DriverManager.getConnection(url)) {
                    assertEquals("new-ca", value(fresh, "select 'new-ca'"));
                }
                TrustReloadStatus.Snapshot ok = status.snapshot();
                assertFalse(ok.failing());
                assertEquals(1, ok.reloads());
                assertNotNull(ok.lastSuccessAt());

                // The session opened before the rotation is still there.
                assertEquals("still-live", value(live, "select 'still-live'"));

                // Garbage in the CA file: new sessions still verify against the last good CA (the new one).
                Files.writeString(caFile, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n",
                        StandardCharsets.US_ASCII);
                try (Connection again = DriverManager.getConnection(url)) {
                    assertEquals("last-good", value(again, "select 'last-good'"));
                }
                TrustReloadStatus.Snapshot failed = status.snapshot();
                assertTrue(failed.failing(), failed.toString());
                assertEquals(1, failed.failures());
                assertNotNull(failed.error());
                assertTrue(failed.lastAttempt().trust().contains(caFile.toString()), failed.toString());

                // Checked again only when the file changes again: one failure, not one per connection.
                try (Connection more = DriverManager.getConnection(url)) {
                    assertEquals("x", value(more, "select 'x'"));
                }
                assertEquals(1, status.snapshot().failures());
                assertEquals("end", value(live, "select 'end'"));
            }
        }
    }

    /**
     * Warm upstream connections are verified ahead of any client: after the CA file changes, one
     * verified under the old trust is never handed out. Here the old CA is dropped (trust
     * narrowed), so a new session must be refused at once although warm connections are ready.
     */
    @Test
    void warmConnectionsVerifiedUnderTheOldTrustAreNotHandedOut() throws Exception {
        TestPki.Issued ca = TestPki.rootCa("Rotated Out Root");
        TestPki.Issued server = TestPki.server(ca, "localhost", "127.0.0.1");
        Path caFile = ca.writeCertificate(dir.resolve("upstream-ca.pem"));
        PgServer.Options tls = PgServer.Options.tls().withTls(server.writeCertificate(dir.resolve("s.crt")),
                server.writePkcs8Key(dir.resolve("s.key")));
        try (PgServer pg = PgServer.start(17, tls);
             EngineHarness h = EngineHarness.builder(dir.resolve("engine"), pg.port()).ca(caFile).serverName("localhost")
                     .warmUpstreams(1).start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + h.port() + "/postgres?sslmode=disable&user=postgres";
            try (Connection c = DriverManager.getConnection(url)) {
                assertEquals("warm", value(c, "select 'warm'"));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (h.engine.openUpstreamConnections() < EngineHarness.transport().eventLoops() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Path staged = TestPki.rootCa("Some Other Root").writeCertificate(dir.resolve("staged.pem"));
            Files.move(staged, caFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(url).close());
            assertTrue(refused.getMessage().contains("verifull:"), refused.getMessage());
        }
    }

    private static String value(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    /** Rewrites a file in the server's data directory, mode 0600 as postgres wants its key. */
    private static void writePrivate(Path target, Path source) throws Exception {
        Files.write(target, Files.readAllBytes(source));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    }
}
