package dev.verifull.manager;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.verifull.app.profiles.ProfileState;
import dev.verifull.profile.FreePorts;
import dev.verifull.profile.ProfileBuilder;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running profile whose CA file is changed in the app keeps its engine: the live session goes
 * on, new sessions verify against the new CA. A CA file that does not load leaves the last good
 * CA in use, and the profile's status carries the error (shown as "changed trust not loaded").
 */
class EngineManagerTrustEditTest {
    @TempDir
    Path dir;

    @Test
    void aProfileEditedInItsTrustAppliesToNewSessionsWithoutARestart() throws Exception {
        TestPki.Issued oldCa = TestPki.rootCa("Old Root");
        TestPki.Issued oldServer = TestPki.server(oldCa, "localhost", "127.0.0.1");
        PgServer.Options tls = PgServer.Options.tls().withTls(oldServer.writeCertificate(dir.resolve("old.crt")),
                oldServer.writePkcs8Key(dir.resolve("old.key")));
        int port = FreePorts.firstFreeFrom(17532, Set.of());
        try (PgServer pg = PgServer.start(17, tls);
             EngineManager manager = new EngineManager(EngineHarness.transport(), dir.resolve("local-ca"), null)) {
            ProfileBuilder orders = profile().name("orders").upstream("127.0.0.1", pg.port()).serverName("localhost")
                    .listenPort(port);
            ProfileStatus started = manager.start(orders.ca(oldCa.writeCertificate(dir.resolve("old-ca.pem"))).build())
                    .get(30, TimeUnit.SECONDS);
            assertEquals(EngineStatus.RUNNING, started.status(), started.toString());
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable&user=postgres";
            try (Connection live = DriverManager.getConnection(url)) {
                assertEquals("1", value(live));

                TestPki.Issued newCa = TestPki.rootCa("New Root");
                TestPki.Issued newServer = TestPki.server(newCa, "localhost", "127.0.0.1");
                writePrivate(pg.dataDir().resolve("server.crt"), newServer.writeCertificate(dir.resolve("new.crt")));
                writePrivate(pg.dataDir().resolve("server.key"), newServer.writePkcs8Key(dir.resolve("new.key")));
                pg.reload();

                ProfileStatus edited = manager.start(orders.ca(newCa.writeCertificate(dir.resolve("new-ca.pem"))).build())
                        .get(30, TimeUnit.SECONDS);
                assertEquals(EngineStatus.RUNNING, edited.status(), edited.toString());
                assertNull(edited.trustError());
                try (Connection fresh = DriverManager.getConnection(url)) {
                    assertEquals("1", value(fresh));
                }
                assertEquals("1", value(live), "the live session was dropped by the edit");

                Path broken = Files.writeString(dir.resolve("broken.pem"), "not a certificate\n");
                ProfileStatus failed = manager.start(orders.ca(broken).build()).get(30, TimeUnit.SECONDS);
                assertEquals(EngineStatus.RUNNING, failed.status(), failed.toString());
                assertNotNull(failed.trustError(), failed.toString());
                assertTrue(failed.trustError().contains("NOT reloaded (profile edited)"), failed.trustError());
                assertEquals(ProfileState.TRUST_NOT_RELOADED, ProfileState.of(failed, null));
                try (Connection stillGood = DriverManager.getConnection(url)) {
                    assertEquals("1", value(stillGood));
                }
                assertEquals("1", value(live));
            }
        }
    }

    private static String value(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static void writePrivate(Path target, Path source) throws Exception {
        Files.write(target, Files.readAllBytes(source));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    }
}
