package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real clients (pgJDBC, psql with libpq 15/17/18) through the engine to real PostgreSQL 13, 17 and
 * 18 servers with TLS, in every client mode the proxy accepts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealClientsTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private final Map<Integer, EngineHarness> engines = new ConcurrentHashMap<>();

    @BeforeAll
    void start() throws Exception {
        for (int major : new int[] {13, 17, 18}) {
            PgServer pg = PgServer.shared(major, PgServer.Options.tls());
            engines.put(major, EngineHarness.builder(dir.resolve("pg" + major), pg.port()).ca(TestCa.shared().caFile()).start());
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (EngineHarness h : engines.values()) h.close();
    }

    private String jdbc(int major, String params) {
        EngineHarness h = engines.get(major);
        return "jdbc:postgresql://127.0.0.1:" + h.port() + "/postgres?" + params;
    }

    private String conninfo(int major, String extra) {
        return "host=127.0.0.1 port=" + engines.get(major).port() + " dbname=postgres user=postgres " + extra;
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 17, 18})
    void pgJdbcInEveryTlsMode(int major) throws Exception {
        EngineHarness h = engines.get(major);
        String verifyFull = "sslmode=verify-full&sslrootcert=" + h.localCaFile();
        for (String params : new String[] {"sslmode=disable", "sslmode=require", verifyFull}) {
            try (Connection c = DriverManager.getConnection(jdbc(major, params + "&ApplicationName=jdbc-test&assumeMinServerVersion=12"), "postgres", "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select current_setting('server_version_num')::int / 10000, ssl from pg_stat_ssl where pid = pg_backend_pid()")) {
                assertTrue(rs.next());
                assertEquals(major, rs.getInt(1), params);
                assertTrue(rs.getBoolean(2), "the upstream leg is always TLS (" + params + ")");
            }
            SessionEvent start = h.await(e -> e.type() == SessionEvent.Type.START && "jdbc-test".equals(e.record().applicationName()));
            assertEquals(params.equals("sslmode=disable") ? ClientTransport.PLAINTEXT : ClientTransport.TLS,
                    start.record().clientTransport(), params);
            assertEquals("postgres", start.record().user());
            assertEquals("postgres", start.record().database());
            assertNotNull(start.record().upstreamCertificateSha256());
            SessionEvent end = h.await(e -> e.type() == SessionEvent.Type.END && e.record().id() == start.record().id());
            assertEquals(Outcome.AUTHENTICATED, end.record().outcome());
            assertTrue(end.record().bytesToClient() > 0 && end.record().bytesFromClient() > 0);
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {17, 18})
    void pgJdbcDirectTls(int major) throws Exception {
        try (Connection c = DriverManager.getConnection(
                jdbc(major, "sslmode=verify-full&sslNegotiation=direct&sslrootcert=" + engines.get(major).localCaFile()), "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("select 42")) {
            assertTrue(rs.next());
            assertEquals(42, rs.getInt(1));
        }
        assertEquals(ClientTransport.DIRECT_TLS, engines.get(major).await(e -> e.type() == SessionEvent.Type.START
                && e.record().clientTransport() == ClientTransport.DIRECT_TLS).record().clientTransport());
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 17, 18})
    void psqlInEveryMode(int major) {
        for (String mode : new String[] {"sslmode=disable", "sslmode=prefer", "sslmode=require", "gssencmode=prefer sslmode=prefer",
                "sslmode=verify-full sslrootcert=" + engines.get(major).localCaFile()}) {
            Psql.Result r = Psql.system().run(conninfo(major, mode), "select 'ok-' || current_setting('server_version_num')", T);
            assertTrue(r.ok(), mode + ": " + r);
            assertTrue(r.out().startsWith("ok-" + major), mode + ": " + r.out());
        }
    }

    @ParameterizedTest(name = "libpq {0}")
    @ValueSource(ints = {17, 18})
    void libpqDirectTls(int libpq) {
        for (int server : new int[] {17, 18}) {
            Psql.Result r = Psql.libpq(libpq).run(conninfo(server, "sslmode=verify-full sslnegotiation=direct sslrootcert="
                    + engines.get(server).localCaFile()), "select 'direct'", T);
            assertTrue(r.ok(), "libpq " + libpq + " -> " + server + ": " + r);
            assertEquals("direct", r.out());
        }
    }

    @Test
    void libpq18Protocol32WithCancel() throws Exception {
        Psql.Result r = Psql.libpq(18).run(conninfo(18, "sslmode=require min_protocol_version=3.2 max_protocol_version=3.2"),
                "select 'three-two'", T);
        assertTrue(r.ok(), r.toString());
        SessionEvent start = engines.get(18).await(e -> e.type() == SessionEvent.Type.START && "3.2".equals(e.record().protocolVersion()));
        assertEquals("3.2", start.record().protocolVersion());
        // 3.2 brings long cancel keys (32 bytes): Ctrl-C must still reach the server.
        assertPsqlCancelWorks(Psql.libpq(18), 18, "sslmode=require max_protocol_version=3.2");
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 17, 18})
    void psqlCtrlCCancelsThroughTheProxy(int major) throws Exception {
        assertPsqlCancelWorks(Psql.system(), major, "sslmode=prefer");
    }

    private void assertPsqlCancelWorks(Psql psql, int major, String mode) throws Exception {
        EngineHarness h = engines.get(major);
        try (Psql.Running running = psql.start(conninfo(major, mode + " application_name=sleeper"), "select pg_sleep(60)")) {
            waitForActiveQuery(major);
            long t0 = System.nanoTime();
            running.interrupt();
            Psql.Result r = running.await(Duration.ofSeconds(10));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(r.stderr().contains("canceling statement due to user request"), r.toString());
            assertTrue(ms < 1000, "cancel took " + ms + " ms");
        }
        SessionEvent cancel = h.await(e -> "cancel".equals(e.record().kind()));
        assertEquals(Outcome.CANCEL_FORWARDED, cancel.record().outcome());
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 18})
    void pgJdbcStatementCancel(int major) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc(major, "sslmode=require"), "postgres", "");
             Statement s = c.createStatement()) {
            Thread canceller = new Thread(() -> {
                try {
                    waitForActiveQuery(major);
                    s.cancel();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            canceller.start();
            long t0 = System.nanoTime();
            SQLException e = assertThrows(SQLException.class, () -> s.execute("select pg_sleep(60)"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("57014", e.getSQLState(), e.getMessage());
            assertTrue(ms < 10_000, "cancel took " + ms + " ms");
            canceller.join();
        }
        assertEquals(Outcome.CANCEL_FORWARDED, engines.get(major).await(e -> "cancel".equals(e.record().kind())).record().outcome());
    }

    private void waitForActiveQuery(int major) throws Exception {
        PgServer pg = PgServer.shared(major, PgServer.Options.tls());
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!"0".equals(pg.queryValue("select count(*) from pg_stat_activity where query = 'select pg_sleep(60)' and state = 'active'"))) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the sleeping query never became active");
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 17, 18})
    void scramThroughTheProxy(int major) throws Exception {
        String alice = "user=" + PgServer.SCRAM_USER + " ";
        Psql withPassword = Psql.system().withPassword(PgServer.PASSWORD);
        // Plaintext client leg, default channel_binding=prefer: works because SCRAM-SHA-256-PLUS is not offered.
        Psql.Result plain = withPassword.run(conninfo(major, alice + "sslmode=disable"), "select current_user", T);
        assertTrue(plain.ok(), plain.toString());
        assertEquals("alice", plain.out());
        // TLS client leg with channel binding off: works.
        Psql.Result tlsNoBinding = withPassword.run(conninfo(major, alice + "sslmode=require channel_binding=disable"), "select 1", T);
        assertTrue(tlsNoBinding.ok(), tlsNoBinding.toString());
        // TLS client leg with libpq's default: cannot work; the user is told why and what to do.
        Psql.Result tlsDefault = withPassword.run(conninfo(major, alice + "sslmode=require"), "select 1", T);
        assertFalse(tlsDefault.ok());
        assertTrue(tlsDefault.stderr().contains("verifull: SCRAM channel binding") && tlsDefault.stderr().contains("channel_binding=disable"),
                tlsDefault.stderr());

        try (Connection c = DriverManager.getConnection(jdbc(major, "sslmode=disable"), PgServer.SCRAM_USER, PgServer.PASSWORD)) {
            assertTrue(c.isValid(5));
        }
        try (Connection c = DriverManager.getConnection(jdbc(major, "sslmode=require&channelBinding=disable"),
                PgServer.SCRAM_USER, PgServer.PASSWORD)) {
            assertTrue(c.isValid(5));
        }
    }

    @Test
    void wrongPasswordIsRecordedAsServerRejection() throws Exception {
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                jdbc(17, "sslmode=disable&ApplicationName=wrong-pw&assumeMinServerVersion=12"), PgServer.SCRAM_USER, "not-the-password").close());
        assertEquals("28P01", e.getSQLState());
        SessionEvent end = engines.get(17).await(ev -> ev.type() == SessionEvent.Type.END && "wrong-pw".equals(ev.record().applicationName()));
        assertEquals(Outcome.SERVER_REJECTED, end.record().outcome());
        assertEquals("28P01", end.record().sqlState());
        assertTrue(end.record().message().contains("password authentication failed"), end.record().message());
    }

    @Test
    void theServersBackendPidIsOnTheRecordAndInTheAudit() throws Exception {
        int pid;
        try (Connection c = DriverManager.getConnection(jdbc(17, "sslmode=disable&ApplicationName=pid-check&assumeMinServerVersion=12"),
                "postgres", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("select pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
        }
        EngineHarness h = engines.get(17);
        SessionEvent end = h.await(ev -> ev.type() == SessionEvent.Type.END && "pid-check".equals(ev.record().applicationName()));
        assertEquals(pid, end.record().backendPid(), "the pid pg_stat_activity shows for the session");
        String session = end.record().sessionId();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        Object audited = null;
        while (audited == null && System.nanoTime() < deadline) {
            audited = h.auditRecords().stream().filter(a -> a.event().equals("session.end") && a.sessionId().equals(session))
                    .map(a -> a.get("backend_pid")).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (audited == null) Thread.sleep(50);
        }
        assertEquals((long) pid, audited, "audit backend_pid");
    }
}
