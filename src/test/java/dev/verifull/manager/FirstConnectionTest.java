package dev.verifull.manager;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.engine.Outcome;
import dev.verifull.engine.SessionEvent;
import dev.verifull.profile.FreePorts;
import dev.verifull.profile.Profile;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;

/**
 * A new user's first connection: a profile saved with the editor's defaults, a TLS PostgreSQL with
 * a SCRAM user, and the clients as they come (psql and pgJDBC with no sslmode and their default
 * channel binding). Each reaches the server exactly once, logs in, and leaves no refusal behind.
 * The server's own log ({@code log_connections}) counts the logins, so a silent retry would show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirstConnectionTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final Pattern RECEIVED = Pattern.compile("connection received:");
    private static final Pattern AUTHORIZED = Pattern.compile("connection authorized: user=alice");
    private static final Pattern FATAL = Pattern.compile("FATAL:");

    @TempDir
    static Path dir;
    private PgServer pg;
    private final List<SessionEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startServer() {
        pg = PgServer.start(17, PgServer.Options.tls()); // its own server: its log holds only this test's logins
    }

    @AfterAll
    void stopServer() {
        if (pg != null) pg.close();
    }

    private Profile firstProfile(int listenPort, boolean offerClientTls) {
        return profile().name("first").upstream("localhost", pg.port()).ca(TestCa.shared().caFile())
                .listenPort(listenPort).defaultDatabase("postgres").defaultUser(PgServer.SCRAM_USER)
                .offerClientTls(offerClientTls).build();
    }

    @BeforeEach
    void forgetEarlierSessions() {
        events.clear();
    }

    private EngineManager started(Profile p) throws Exception {
        EngineManager manager = new EngineManager(EngineHarness.transport(), dir.resolve("local-ca"), null);
        manager.addSessionListener(events::add);
        ProfileStatus status = manager.start(p).get(15, TimeUnit.SECONDS);
        assertEquals(EngineStatus.RUNNING, status.status(), status.toString());
        return manager;
    }

    @Test
    void aDefaultPsqlAndADefaultPgJdbcEachLogInOnceWithNothingRefused() throws Exception {
        int port = FreePorts.firstFreeFrom(18432, Set.of());
        Profile p = firstProfile(port, false);
        assertEquals(false, Profile.blank("x", 1).offerClientTls(), "what the editor starts a new profile with");
        int logBefore = pg.log().length();
        try (EngineManager manager = started(p)) {
            Psql.Result psql = Psql.system().withPassword(PgServer.PASSWORD)
                    .run("host=127.0.0.1 port=" + port + " dbname=postgres user=alice", "select current_user", T);
            assertTrue(psql.ok(), psql.toString());
            assertEquals("alice", psql.out());

            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                    PgServer.SCRAM_USER, PgServer.PASSWORD);
                 ResultSet rs = c.createStatement().executeQuery("select current_user")) {
                assertTrue(rs.next());
                assertEquals("alice", rs.getString(1));
            }
            awaitEnds(2);
        }
        String log = pg.log().substring(logBefore);
        assertEquals(2, count(RECEIVED, log), "one server connection per client:\n" + log);
        assertEquals(2, count(AUTHORIZED, log), log);
        assertEquals(0, count(FATAL, log), "no failed login on the server:\n" + log);
        assertEquals(List.of(Outcome.AUTHENTICATED, Outcome.AUTHENTICATED), ends(), "no refused or rejected session: " + events);
    }

    /** Why TLS to clients is off by default: with it on, the same psql costs the server a failed login first. */
    @Test
    void withTlsOfferedADefaultPsqlCostsTheServerAFailedLoginBeforeItsPlaintextRetry() throws Exception {
        int port = FreePorts.firstFreeFrom(18532, Set.of());
        int logBefore = pg.log().length();
        events.clear();
        try (EngineManager manager = started(firstProfile(port, true))) {
            Psql.Result psql = Psql.system().withPassword(PgServer.PASSWORD)
                    .run("host=127.0.0.1 port=" + port + " dbname=postgres user=alice", "select current_user", T);
            assertTrue(psql.ok(), "libpq retries without TLS: " + psql);
            awaitEnds(2);
        }
        String log = pg.log().substring(logBefore);
        assertEquals(2, count(RECEIVED, log), log);
        assertEquals(1, count(FATAL, log), log);
        assertEquals(List.of(Outcome.SERVER_REJECTED, Outcome.AUTHENTICATED), ends(), "a red row, then the retry: " + events);
    }

    private void awaitEnds(int ends) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && events.stream().filter(e -> e.type() != SessionEvent.Type.START).count() < ends) {
            Thread.sleep(20);
        }
    }

    /** How each session ended, in order; refusals included. */
    private List<Outcome> ends() {
        return events.stream().filter(e -> e.type() != SessionEvent.Type.START).map(e -> e.record().outcome()).toList();
    }

    private static int count(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
