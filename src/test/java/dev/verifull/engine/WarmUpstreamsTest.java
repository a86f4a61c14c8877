package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.FakeUpstream;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import dev.verifull.testing.TestPki;

/** Pre-established, verified upstream connections: made ahead of clients, used, replaced. */
class WarmUpstreamsTest {
    @TempDir
    Path dir;

    @Test
    void warmConnectionsAreMadeAndVerifiedBeforeAnyClientArrives() throws Exception {
        TestPki.Issued ca = TestPki.rootCa("Warm CA");
        try (FakeUpstream upstream = new FakeUpstream(FakeUpstream.Mode.TLS, TestPki.server(ca, "localhost", "127.0.0.1"));
             EngineHarness h = EngineHarness.builder(dir, upstream.port()).ca(ca.writeCertificate(dir.resolve("ca.pem")))
                     .warmUpstreams(2).start()) {
            // Two event loops in the test transport, two warm connections each.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (upstream.connections() < 4 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(4, upstream.connections());
            assertEquals(0, upstream.receivedAfterSslRequest().length, "nothing is sent on a warm connection");
            assertEquals(0, h.engine.sessions().size());
        }
    }

    @Test
    void withoutAWarmCountTheEngineConnectsOnlyForClients() throws Exception {
        TestPki.Issued ca = TestPki.rootCa("Cold CA");
        try (FakeUpstream upstream = new FakeUpstream(FakeUpstream.Mode.TLS, TestPki.server(ca, "localhost", "127.0.0.1"));
             EngineHarness h = EngineHarness.builder(dir, upstream.port()).ca(ca.writeCertificate(dir.resolve("ca.pem")))
                     .warmUpstreams(0).start()) {
            Thread.sleep(500); // a pool would have connected by now (the test above sees it within this time)
            assertEquals(0, upstream.connections());
        }
    }

    @Test
    void aNegativeWarmCountIsRefusedByTheConfiguration() {
        TestPki.Issued ca = TestPki.rootCa("Negative CA");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                EngineHarness.builder(dir, 5432).ca(ca.writeCertificate(dir.resolve("ca.pem"))).warmUpstreams(-1).start());
        assertEquals("warmUpstreams must not be negative", e.getMessage());
    }

    @Test
    void clientsUseWarmConnectionsAndTheyAreReplaced() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).serverName("localhost")
                .warmUpstreams(1).start()) {
            Thread.sleep(500); // let the pool fill
            for (int i = 0; i < 4; i++) {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + h.port()
                        + "/postgres?sslmode=disable", "postgres", "");
                     ResultSet rs = c.createStatement().executeQuery("select ssl from pg_stat_ssl where pid = pg_backend_pid()")) {
                    assertTrue(rs.next());
                    assertTrue(rs.getBoolean(1));
                }
                SessionEvent start = h.awaitType(SessionEvent.Type.START);
                assertNotNull(start.record().upstreamCertificateSha256(), "a warm leg still records what was verified");
                assertEquals("TLSv1.3", start.record().upstreamTlsProtocol());
            }
            Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + h.port() + " user=postgres dbname=postgres", "select 'warm'",
                    Duration.ofSeconds(30));
            assertTrue(r.ok(), r.toString());
        }
    }
}
