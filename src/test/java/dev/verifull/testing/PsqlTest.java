package dev.verifull.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Debian's psql with libpq 15 (system), 17 and 18 against the shared TLS servers. */
class PsqlTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String CA = TestCa.shared().caFile().toString();
    private static final String SSL_IN_USE = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    private static PgServer server(int major) {
        return PgServer.shared(major, PgServer.Options.tls());
    }

    private static String verifyFull(PgServer server, String... more) {
        String[] params = new String[more.length + 2];
        params[0] = "sslmode=verify-full";
        params[1] = "sslrootcert=" + CA;
        System.arraycopy(more, 0, params, 2, more.length);
        return server.conninfo(params);
    }

    @Test
    void loadsTheLibpqItIsAskedFor() {
        assertEquals(15, Psql.system().loadedLibpqMajor());
        assertEquals(17, Psql.libpq(17).loadedLibpqMajor());
        assertEquals(18, Psql.libpq(18).loadedLibpqMajor());
        assertEquals(15, Psql.libpq(15).loadedLibpqMajor());
        assertThrows(IllegalArgumentException.class, () -> Psql.libpq(13)); // psql 15 needs libpq >= 14
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 17, 18})
    void systemLibpqConnectsWithVerifyFull(int major) {
        Psql.Result r = Psql.run(verifyFull(server(major)),
                "SELECT current_setting('server_version_num')::int / 10000; " + SSL_IN_USE, Map.of(), TIMEOUT);
        assertTrue(r.ok(), r.toString());
        assertEquals(major + "\nt", r.out());
    }

    @Test
    void systemLibpqRejectsLibpq17Options() {
        Psql.Result r = Psql.run(verifyFull(server(17), "sslnegotiation=direct"), "SELECT 1", Map.of(), TIMEOUT);
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("invalid connection option \"sslnegotiation\""), r.toString());
    }

    @ParameterizedTest(name = "libpq {0} -> PostgreSQL {1}")
    @CsvSource({"17, 17", "17, 18", "18, 17", "18, 18"})
    void newerLibpqSpeaksDirectTls(int libpq, int major) {
        Psql.Result r = Psql.libpq(libpq).run(verifyFull(server(major), "sslnegotiation=direct"), SSL_IN_USE, TIMEOUT);
        assertTrue(r.ok(), r.toString());
        assertEquals("t", r.out());
    }

    @Test
    void libpq18SpeaksProtocol32WithPostgres18Only() {
        Psql libpq18 = Psql.libpq(18);
        String only32 = "min_protocol_version=3.2";
        Psql.Result with18 = libpq18.run(verifyFull(server(18), only32, "max_protocol_version=3.2"), "SELECT 1", TIMEOUT);
        assertTrue(with18.ok(), with18.toString());
        // 17 answers NegotiateProtocolVersion (3.0): fine with max=3.2, refused when 3.2 is the minimum
        assertTrue(libpq18.run(verifyFull(server(17), "max_protocol_version=3.2"), "SELECT 1", TIMEOUT).ok());
        Psql.Result with17 = libpq18.run(verifyFull(server(17), only32, "max_protocol_version=3.2"), "SELECT 1", TIMEOUT);
        assertEquals(2, with17.exitCode(), with17.toString());
        assertTrue(with17.stderr().contains("protocol version"), with17.toString());
    }

    @Test
    void scramUserNeedsTheRightPassword() {
        String alice = verifyFull(server(17), "user=" + PgServer.SCRAM_USER);
        Psql.Result right = Psql.run(alice, "SELECT current_user", Map.of("PGPASSWORD", PgServer.PASSWORD), TIMEOUT);
        assertTrue(right.ok(), right.toString());
        assertEquals(PgServer.SCRAM_USER, right.out());
        Psql.Result wrong = Psql.system().withPassword("wrong").run(alice, "SELECT 1", TIMEOUT);
        assertEquals(2, wrong.exitCode(), wrong.toString());
        assertTrue(wrong.stderr().contains("password authentication failed for user \"alice\""), wrong.toString());
        Psql.Result none = Psql.system().run(alice, "SELECT 1", TIMEOUT); // -w: fails instead of prompting
        assertTrue(none.stderr().contains("no password supplied"), none.toString());
    }

    @Test
    void tlsOnlyServerRefusesPlaintextPsql() {
        PgServer server = PgServer.shared(17, PgServer.Options.tls().withTlsOnly());
        Psql.Result r = Psql.system().run(server.conninfo("sslmode=disable"), "SELECT 1", TIMEOUT);
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("no encryption"), r.toString());
    }

    @Test
    void sigintMakesPsqlCancelItsQuery() throws Exception {
        PgServer server = server(17);
        try (Psql.Running psql = Psql.system().start(verifyFull(server, "application_name=sleeper"), "SELECT pg_sleep(60)")) {
            waitUntil(() -> "1".equals(server.queryValue(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sleeper' AND state = 'active'")));
            psql.interrupt();
            Psql.Result r = psql.await(Duration.ofSeconds(10));
            assertFalse(r.timedOut(), r.toString());
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.stderr().contains("canceling statement due to user request"), r.toString());
        }
    }

    @Test
    void runKillsPsqlOnTimeout() {
        long t0 = System.nanoTime();
        Psql.Result r = Psql.system().run(verifyFull(server(17)), "SELECT pg_sleep(30)", Duration.ofMillis(500));
        assertTrue(r.timedOut(), r.toString());
        assertFalse(r.ok());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 5);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met in 10 s");
            Thread.sleep(20);
        }
    }
}
