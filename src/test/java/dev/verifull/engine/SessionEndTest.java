package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.verifull.audit.AuditEvent;
import dev.verifull.audit.AuditFields;
import dev.verifull.engine.SessionEnd.Cause;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who ended a session and how, with a real PostgreSQL and a real psql: a normal quit, a client
 * killed without Terminate, pg_terminate_backend, a server stopped in immediate mode mid-query,
 * "End session" and a shutdown whose grace period runs out. Each is recorded in the session
 * record and the audit log (ended_by, end_cause, end_sqlstate).
 */
class SessionEndTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static String conninfo(EngineHarness h, String sslmode) {
        return "host=127.0.0.1 port=" + h.port() + " dbname=postgres user=postgres sslmode=" + sslmode;
    }

    private static SessionRecord endOf(EngineHarness h, String application) throws InterruptedException {
        return h.await(e -> e.type() == SessionEvent.Type.END && application.equals(e.record().applicationName())).record();
    }

    private static SessionRecord startOf(EngineHarness h, String application) throws InterruptedException {
        return h.await(e -> e.type() == SessionEvent.Type.START && application.equals(e.record().applicationName())).record();
    }

    /** The session's audit end record; the auditor hears the event after the harness does, so it may take a moment. */
    private static AuditEvent auditEnd(EngineHarness h, SessionRecord r) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            for (AuditEvent e : h.auditRecords()) {
                if (e.event().equals(AuditEvent.SESSION_END) && e.sessionId().equals(r.sessionId())) return e;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no audit end record for " + r.sessionId());
    }

    private static Psql psql(String application) {
        return Psql.system().withEnv("PGAPPNAME", application);
    }

    @Test
    void psqlQuittingNormallyIsAClientTerminate() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).start()) {
            for (String sslmode : new String[] {"disable", "require"}) {
                Psql.Result r = psql("quit-" + sslmode).run(conninfo(h, sslmode), "select 1", T);
                assertTrue(r.ok(), r.toString());
                SessionRecord end = endOf(h, "quit-" + sslmode);
                assertEquals(Cause.CLIENT_TERMINATE, end.end().cause(), sslmode + ": " + end);
                AuditEvent audit = auditEnd(h, end);
                assertEquals("client", String.valueOf(audit.get(AuditFields.ENDED_BY)));
                assertEquals("client_terminate", String.valueOf(audit.get(AuditFields.END_CAUSE)));
                assertEquals("authenticated", String.valueOf(audit.get(AuditFields.OUTCOME)));
            }
        }
    }

    @Test
    void aClientKilledWithoutTerminateClosedTheConnection() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).start();
             Psql.Running p = psql("killed").start(conninfo(h, "disable"), "select pg_sleep(60)")) {
            startOf(h, "killed");
            awaitBackendBusy(pg, "killed");
            p.signal("KILL"); // the kernel closes its socket: no Terminate
            SessionRecord end = endOf(h, "killed");
            assertEquals(Cause.CLIENT_CLOSED, end.end().cause(), end.toString());
            assertEquals("client", String.valueOf(auditEnd(h, end).get(AuditFields.ENDED_BY)));
        }
    }

    @Test
    void pgTerminateBackendIsAServerErrorWithItsSqlState() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).start();
             Psql.Running p = psql("terminated").start(conninfo(h, "require"), "select pg_sleep(60)")) {
            SessionRecord start = startOf(h, "terminated");
            awaitBackendBusy(pg, "terminated");
            pg.queryValue("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'terminated'");
            SessionRecord end = endOf(h, "terminated");
            assertEquals(Cause.SERVER_ERROR, end.end().cause(), end.toString());
            assertEquals("57P01", end.end().sqlState());
            assertTrue(end.endReason().contains("administrator command"), end.endReason());
            AuditEvent audit = auditEnd(h, end);
            assertEquals("server", String.valueOf(audit.get(AuditFields.ENDED_BY)));
            assertEquals("server_error", String.valueOf(audit.get(AuditFields.END_CAUSE)));
            assertEquals("57P01", String.valueOf(audit.get(AuditFields.END_SQLSTATE)));
            assertEquals(start.sessionId(), end.sessionId());
        }
    }

    @Test
    void aServerStoppedInImmediateModeMidQueryEndedTheSession() throws Exception {
        try (PgServer pg = PgServer.start(17, PgServer.Options.tls());
             EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).start();
             Psql.Running p = psql("crashed").start(conninfo(h, "require"), "select pg_sleep(60)")) {
            startOf(h, "crashed");
            awaitBackendBusy(pg, "crashed");
            // What pg_ctl stop -m immediate does (pg_ctl will not run as root): SIGQUIT to the postmaster.
            String postmaster = Files.readAllLines(pg.dataDir().resolve("postmaster.pid")).get(0).trim();
            new ProcessBuilder("kill", "-QUIT", postmaster).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
            SessionRecord end = endOf(h, "crashed");
            assertEquals(SessionEnd.EndedBy.SERVER, end.end().endedBy(), end.toString());
            assertEquals("server", String.valueOf(auditEnd(h, end).get(AuditFields.ENDED_BY)));
        }
    }

    @Test
    void endSessionInTheAppTellsTheClient() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).start();
             Psql.Running p = psql("ended-in-app").start(conninfo(h, "require"), "select pg_sleep(60)")) {
            SessionRecord start = startOf(h, "ended-in-app");
            awaitBackendBusy(pg, "ended-in-app");
            assertTrue(h.engine.endSession(start.id()));
            Psql.Result r = p.await(T);
            assertTrue(r.stderr().contains("verifull: terminating connection: the session was ended in Verifull"), r.toString());
            SessionRecord end = endOf(h, "ended-in-app");
            assertEquals(Cause.ENDED_IN_APP, end.end().cause());
            assertEquals("verifull", String.valueOf(auditEnd(h, end).get(AuditFields.ENDED_BY)));
        }
    }

    @Test
    void sessionsCutWhenTheGracePeriodEndsAreToldWhyInTheirTransport() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).start();
        try (Psql.Running tls = psql("grace-tls").start(conninfo(h, "require"), "select pg_sleep(60)");
             Psql.Running plain = psql("grace-plain").start(conninfo(h, "disable"), "select pg_sleep(60)")) {
            startOf(h, "grace-tls");
            startOf(h, "grace-plain");
            awaitBackendBusy(pg, "grace-tls");
            awaitBackendBusy(pg, "grace-plain");
            h.engine.stop(Duration.ofSeconds(1)).get(20, TimeUnit.SECONDS);
            for (Psql.Running p : List.of(tls, plain)) {
                Psql.Result r = p.await(T);
                assertTrue(r.stderr().contains("FATAL:  verifull: terminating connection: Verifull is shutting down and the grace period"),
                        r.toString());
            }
            for (String app : new String[] {"grace-tls", "grace-plain"}) {
                SessionRecord end = endOf(h, app);
                assertEquals(Cause.GRACE_OVER, end.end().cause(), end.toString());
                assertEquals("grace_over", String.valueOf(auditEnd(h, end).get(AuditFields.END_CAUSE)));
            }
        } finally {
            h.close();
        }
    }

    /** Waits until the backend of {@code application} runs its query, so the session is past its login. */
    private static void awaitBackendBusy(PgServer pg, String application) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String n = pg.queryValue("select count(*) from pg_stat_activity where application_name = '" + application
                    + "' and state = 'active'");
            if ("1".equals(n)) return;
            Thread.sleep(50);
        }
        throw new AssertionError(application + " never ran its query");
    }
}
