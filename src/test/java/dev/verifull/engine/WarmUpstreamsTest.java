package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

    /**
     * More clients at once than warm connections: the ones that find the pool empty take the
     * connections still on their way. Each must get its own, verified and recorded, and a taken
     * connection must never reach the pool again (later clients would share it).
     */
    @Test
    void aBurstLargerThanThePoolTakesConnectionsStillOnTheirWay() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).serverName("localhost")
                .warmUpstreams(1).start()) {
            Thread.sleep(500); // let the pool fill
            int burst = 12;
            ExecutorService clients = Executors.newFixedThreadPool(burst);
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try {
                List<Future<Integer>> pids = new ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    pids.add(clients.submit(() -> {
                        go.await();
                        try (Connection c = connect(h)) {
                            int pid = backendPid(c);
                            release.await(60, TimeUnit.SECONDS); // hold the session
                            return pid;
                        }
                    }));
                }
                go.countDown();
                Set<Integer> distinct = new HashSet<>();
                // While the burst holds its sessions, more clients come one by one, from the pool.
                Thread.sleep(1000);
                List<Connection> later = new ArrayList<>();
                try {
                    for (int i = 0; i < 4; i++) {
                        Connection c = connect(h);
                        later.add(c);
                        distinct.add(backendPid(c));
                    }
                    release.countDown();
                    for (Future<Integer> f : pids) distinct.add(f.get(60, TimeUnit.SECONDS));
                } finally {
                    for (Connection c : later) c.close();
                }
                assertEquals(burst + 4, distinct.size(), "every client had a server connection of its own");
            } finally {
                release.countDown();
                clients.shutdownNow();
            }
            for (int i = 0; i < burst + 4; i++) {
                SessionEvent start = h.awaitType(SessionEvent.Type.START);
                assertNotNull(start.record().upstreamCertificateSha256(), "every session records what was verified");
            }
        }
    }

    private static Connection connect(EngineHarness h) throws SQLException {
        // Timeouts: two clients sharing one server connection would wait for each other's replies.
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + h.port()
                + "/postgres?sslmode=disable&connectTimeout=10&socketTimeout=20", "postgres", "");
    }

    private static int backendPid(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("select pg_backend_pid(), ssl from pg_stat_ssl where pid = pg_backend_pid()")) {
            assertTrue(rs.next());
            assertTrue(rs.getBoolean(2), "upstream over TLS");
            return rs.getInt(1);
        }
    }
}
