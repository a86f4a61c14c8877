package dev.verifull.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.verifull.audit.AuditEvent;
import dev.verifull.audit.AuditFields;
import dev.verifull.engine.Outcome;
import dev.verifull.engine.PeerIdentity;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionRecord;
import dev.verifull.tailnet.AccessRules;
import dev.verifull.tailnet.TailscaleAdmission;
import dev.verifull.tailscale.FakeLocalApi;
import dev.verifull.tailscale.LocalApiClient;
import dev.verifull.tailscale.WhoIsCache;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity and access through a real engine to a real PostgreSQL 17: the engine listens on
 * 127.0.0.2 (the fake tailscaled's "this machine"), pgJDBC connects from 127.0.0.3, .4, ... which
 * the fake maps to different tailnet identities, and each allow/deny is asserted on the client,
 * the session record and the audit line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TailscaleIdentityTest {
    private static final String CAP = FakeLocalApi.ALICE_CAPABILITY;

    @TempDir
    static Path dir;
    private PgServer pg;
    private FakeLocalApi fake;
    private LocalApiClient client;
    private int engines;

    @BeforeAll
    void start() {
        pg = PgServer.shared(17, PgServer.Options.tls());
        fake = FakeLocalApi.startUnix(dir.resolve("tailscaled"));
        client = fake.client(Duration.ofSeconds(1));
    }

    @AfterAll
    void stop() {
        client.close();
        fake.close();
    }

    private EngineHarness engine(AccessRules rules, String profile) throws Exception {
        return engine(new TailscaleAdmission(new WhoIsCache(client), client::status, rules, profile));
    }

    private EngineHarness engine(TailscaleAdmission admission) throws Exception {
        return EngineHarness.builder(dir.resolve("engine" + (++engines)), pg.port()).ca(TestCa.shared().caFile())
                .listenHost(FakeLocalApi.SELF_IP).admission(admission).start();
    }

    /** pgJDBC over TLS from {@code from}, the way a tailnet peer with that address would connect. */
    private static Connection connect(EngineHarness h, String from) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("sslmode", "require");
        p.setProperty("localSocketAddress", from);
        p.setProperty("ApplicationName", "identity-test");
        p.setProperty("assumeMinServerVersion", "12");
        return DriverManager.getConnection("jdbc:postgresql://" + h.host() + ":" + h.port() + "/postgres", p);
    }

    private static void assertQueryWorks(EngineHarness h, String from) throws SQLException {
        try (Connection c = connect(h, from); ResultSet rs = c.createStatement().executeQuery("select 'through'")) {
            assertTrue(rs.next());
            assertEquals("through", rs.getString(1));
        }
    }

    private static SQLException assertRefused(EngineHarness h, String from) {
        SQLException e = assertThrows(SQLException.class, () -> connect(h, from).close());
        assertEquals("28000", e.getSQLState(), e.toString());
        return e;
    }

    private static SessionRecord started(EngineHarness h, String from) throws InterruptedException {
        return h.await(e -> e.type() == SessionEvent.Type.START && from.equals(e.record().clientAddress())).record();
    }

    private static SessionRecord refused(EngineHarness h, String from) throws InterruptedException {
        return h.await(e -> e.type() == SessionEvent.Type.REFUSED && from.equals(e.record().clientAddress())).record();
    }

    private static AuditEvent audit(EngineHarness h, String event, long session) throws Exception {
        return h.auditRecords().stream()
                .filter(a -> a.event().equals(event) && a.sessionId().equals(dev.verifull.engine.SessionIds.format(session)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + event + " audit line for session " + session));
    }

    @Test
    void aliceIsAllowedByHerLoginName() throws Exception {
        try (EngineHarness h = engine(new AccessRules(List.of("alice@example.com"), List.of(), List.of()), "orders")) {
            assertQueryWorks(h, FakeLocalApi.ALICE_IP);
            SessionRecord r = started(h, FakeLocalApi.ALICE_IP);
            PeerIdentity who = r.identity();
            assertEquals("tailscale", who.source());
            assertEquals("alice@example.com", who.loginName());
            assertEquals("Alice Example", who.displayName());
            assertEquals(FakeLocalApi.ALICE_MACHINE, who.machine());
            assertEquals("macOS", who.os());
            assertEquals(List.of(), who.tags());
            assertTrue(who.nodeId() != null && who.nodeId().endsWith("CNTRL"), who.nodeId());
            assertEquals("allowed: user alice@example.com", r.accessDecision());

            AuditEvent start = audit(h, AuditEvent.SESSION_START, r.id());
            assertEquals("alice@example.com", start.get(AuditFields.TAILSCALE_LOGIN));
            assertEquals("Alice Example", start.get(AuditFields.TAILSCALE_DISPLAY_NAME));
            assertEquals(FakeLocalApi.ALICE_MACHINE, start.get(AuditFields.TAILSCALE_NODE));
            assertEquals(who.nodeId(), start.get(AuditFields.TAILSCALE_NODE_ID));
            assertEquals("macOS", start.get(AuditFields.TAILSCALE_OS));
            assertEquals("allowed: user alice@example.com", start.get(AuditFields.ACCESS));
            assertEquals(Outcome.AUTHENTICATED, h.await(e -> e.type() == SessionEvent.Type.END && e.record().id() == r.id())
                    .record().outcome());
        }
    }

    @Test
    void aTaggedDeviceIsDecidedByItsTags() throws Exception {
        try (EngineHarness allowed = engine(new AccessRules(List.of("*@example.com"), List.of("tag:ci"), List.of()), "orders")) {
            assertQueryWorks(allowed, FakeLocalApi.TAGGED_IP);
            SessionRecord r = started(allowed, FakeLocalApi.TAGGED_IP);
            assertEquals(List.of("tag:ci"), r.identity().tags());
            assertEquals("tagged-devices", r.identity().loginName());
            assertEquals("tag:ci", r.identity().label());
            assertEquals(FakeLocalApi.TAGGED_MACHINE, r.identity().machine());
            assertEquals("allowed: tags tag:ci by rule tag:ci", r.accessDecision());
            assertEquals(List.of("tag:ci"), audit(allowed, AuditEvent.SESSION_START, r.id()).get(AuditFields.TAILSCALE_TAGS));
        }
        // Being tagged is not being a user of example.com.
        try (EngineHarness denied = engine(new AccessRules(List.of("*@example.com"), List.of("tag:prod"), List.of()), "orders")) {
            SQLException e = assertRefused(denied, FakeLocalApi.TAGGED_IP);
            assertTrue(e.getMessage().contains("verifull: access denied: tag:ci on " + FakeLocalApi.TAGGED_MACHINE
                    + " may not use profile 'orders'"), e.getMessage());
            SessionRecord r = refused(denied, FakeLocalApi.TAGGED_IP);
            assertEquals(RefusalReason.ACCESS_DENIED, r.refusalReason());
            assertEquals("denied: no rule matches tags tag:ci for profile 'orders'", r.accessDecision());
            assertEquals(List.of("tag:ci"), r.identity().tags());
        }
    }

    @Test
    void aSharedInDeviceIsExternalAndNamedByItsOwner() throws Exception {
        try (EngineHarness h = engine(AccessRules.ANY_PEER, "orders")) {
            assertQueryWorks(h, FakeLocalApi.SHARED_IP);
            SessionRecord r = started(h, FakeLocalApi.SHARED_IP);
            assertEquals("bob@gmail.com", r.identity().loginName());
            assertEquals("external-device", r.identity().machine());
            assertEquals("windows", r.identity().os());
            assertEquals("allowed: user bob@gmail.com (no access rules: any tailnet peer)", r.accessDecision());
            assertEquals("external-device", audit(h, AuditEvent.SESSION_START, r.id()).get(AuditFields.TAILSCALE_NODE));
        }
        try (EngineHarness h = engine(new AccessRules(List.of("*@example.com"), List.of(), List.of()), "orders")) {
            SQLException e = assertRefused(h, FakeLocalApi.SHARED_IP);
            assertTrue(e.getMessage().contains("bob@gmail.com on external-device may not use profile 'orders'"), e.getMessage());
        }
    }

    @Test
    void aUserNotInTheRulesIsDeniedWithNameAndProfile() throws Exception {
        try (EngineHarness h = engine(new AccessRules(List.of("bob@example.com"), List.of("tag:ci"), List.of(CAP)), "prod")) {
            SQLException e = assertRefused(h, FakeLocalApi.ALICE_IP);
            String m = e.getMessage();
            assertTrue(m.contains("verifull: access denied: alice@example.com on " + FakeLocalApi.ALICE_MACHINE
                    + " may not use profile 'prod'"), m);
            // Who else may connect is not the client's business: the rules stay out of the error.
            for (String rule : List.of("bob@example.com", "tag:ci", CAP)) {
                assertFalse(m.contains(rule), "the error must not name the rule " + rule + ": " + m);
            }
            assertTrue(m.contains("Ask whoever runs this Verifull to allow you (--allow-user alice@example.com)"
                    + ", or a tailnet admin to grant you this profile (\"profiles\": [\"prod\"])"), "what to ask for: " + m);

            SessionRecord r = refused(h, FakeLocalApi.ALICE_IP);
            assertEquals(Outcome.REFUSED, r.outcome());
            assertEquals(RefusalReason.ACCESS_DENIED, r.refusalReason());
            assertEquals("28000", r.sqlState());
            assertEquals("alice@example.com", r.identity().loginName());
            assertEquals("denied: no rule matches user alice@example.com for profile 'prod'", r.accessDecision());
            assertEquals("postgres", r.user(), "the StartupMessage was read, then refused");

            AuditEvent line = audit(h, AuditEvent.SESSION_REFUSED, r.id());
            assertEquals("alice@example.com", line.get(AuditFields.TAILSCALE_LOGIN));
            assertEquals("denied: no rule matches user alice@example.com for profile 'prod'", line.get(AuditFields.ACCESS));
            assertEquals("access-denied", line.get(AuditFields.REFUSAL_REASON));
            assertEquals("28000", line.get(AuditFields.SQLSTATE));
            assertTrue(String.valueOf(line.get(AuditFields.MESSAGE)).contains("may not use profile 'prod'"), line.toString());
        }
    }

    @Test
    void aCapabilityGrantsTheProfilesOfAllItsValues() throws Exception {
        // The fake grants alice the capability twice: {"profiles":["alpha"]} and {"profiles":["beta"]}.
        AccessRules byCapability = new AccessRules(List.of(), List.of(), List.of(CAP));
        for (String profile : new String[] {"alpha", "beta"}) {
            try (EngineHarness h = engine(byCapability, profile)) {
                assertQueryWorks(h, FakeLocalApi.ALICE_IP);
                assertEquals("allowed: user alice@example.com by capability " + CAP + " (profiles alpha, beta)",
                        started(h, FakeLocalApi.ALICE_IP).accessDecision());
            }
        }
        try (EngineHarness h = engine(byCapability, "gamma")) {
            SQLException e = assertRefused(h, FakeLocalApi.ALICE_IP);
            assertTrue(e.getMessage().contains("may not use profile 'gamma'"), e.getMessage());
            assertTrue(e.getMessage().contains("\"profiles\": [\"gamma\"]"), "the hint says what to grant: " + e.getMessage());
        }
        try (EngineHarness h = engine(byCapability, "alpha")) {
            assertRefused(h, FakeLocalApi.TAGGED_IP); // no capability at all
        }
    }

    /**
     * A connection from this machine to its own tailnet address: whois names this machine's node,
     * owned by alice. On a multi-user machine anyone could be behind it, so it is "this machine",
     * refused unless the profile allows this machine, and never recorded as alice.
     */
    @Test
    void aConnectionFromThisMachineItselfIsThisMachineAndNeedsAllowThisMachine() throws Exception {
        String self = FakeLocalApi.SELF_IP;
        fake.whoisThisMachine(self);
        try {
            try (EngineHarness h = engine(new AccessRules(List.of("alice@example.com"), List.of(), List.of()), "orders")) {
                SQLException e = assertRefused(h, self);
                assertTrue(e.getMessage().contains("verifull: connections from this machine itself are not allowed on a tailnet"
                        + " profile; use a local-only profile, or tick \"Allow this machine\" in profile 'orders'"
                        + " (serve --allow-this-machine)"), e.getMessage());
                SessionRecord r = refused(h, self);
                assertEquals(RefusalReason.ACCESS_DENIED, r.refusalReason());
                assertEquals(TailscaleAdmission.THIS_MACHINE_SOURCE, r.identity().source());
                assertNull(r.identity().loginName(), "not the owner's login: " + r.identity());
                assertEquals("denied: this machine (" + FakeLocalApi.SELF_DNS_NAME + ") is not allowed on profile 'orders'",
                        r.accessDecision());
                assertQueryWorks(h, FakeLocalApi.ALICE_IP); // alice from her laptop is still alice
            }
            try (EngineHarness h = engine(new AccessRules(List.of("bob@example.com"), List.of(), List.of(), true), "orders")) {
                assertQueryWorks(h, self);
                SessionRecord r = started(h, self);
                assertEquals("this machine", r.identity().label());
                assertEquals(FakeLocalApi.SELF_DNS_NAME, r.identity().machine());
                assertEquals(FakeLocalApi.SELF_NODE_ID, r.identity().nodeId());
                assertEquals("allowed: this machine (" + FakeLocalApi.SELF_DNS_NAME + ") by allow-this-machine", r.accessDecision());
                AuditEvent start = audit(h, AuditEvent.SESSION_START, r.id());
                assertNull(start.get(AuditFields.TAILSCALE_LOGIN));
                assertEquals("this machine", start.get(AuditFields.TAILSCALE_DISPLAY_NAME));
                assertEquals(FakeLocalApi.SELF_DNS_NAME, start.get(AuditFields.TAILSCALE_NODE));
                assertRefused(h, FakeLocalApi.ALICE_IP); // peers still go by the rules
            }
        } finally {
            fake.forgetWhois(self);
        }
    }

    @Test
    void everyFailureToIdentifyRefusesTheClient() throws Exception {
        try (EngineHarness h = engine(AccessRules.ANY_PEER, "orders")) {
            assertFailClosed(h, "127.0.0.9", RefusalReason.NOT_A_TAILNET_PEER,
                    "verifull: 127.0.0.9 is not a known tailnet peer");
            assertFailClosed(h, FakeLocalApi.DENIED_IP, RefusalReason.IDENTITY_UNAVAILABLE,
                    "verifull: cannot tell who is connecting from 127.0.0.6: tailscaled answered 403 to the whois request: whois access denied");
            assertFailClosed(h, FakeLocalApi.MALFORMED_IP, RefusalReason.IDENTITY_UNAVAILABLE,
                    "verifull: cannot tell who is connecting from 127.0.0.7: tailscaled's whois answer could not be read");
            assertFailClosed(h, FakeLocalApi.SLOW_IP, RefusalReason.IDENTITY_UNAVAILABLE,
                    "verifull: cannot tell who is connecting from 127.0.0.8: tailscaled did not answer the whois request within 1 s");
        }
        try (LocalApiClient gone = LocalApiClient.forUnixSocket(dir.resolve("no-such-dir/tailscaled.sock"));
             EngineHarness h = engine(new TailscaleAdmission(new WhoIsCache(gone), gone::status, AccessRules.ANY_PEER, "orders"))) {
            assertFailClosed(h, FakeLocalApi.ALICE_IP, RefusalReason.IDENTITY_UNAVAILABLE,
                    "verifull: cannot tell who is connecting from 127.0.0.3: Tailscale is not reachable at");
        }
    }

    private void assertFailClosed(EngineHarness h, String from, RefusalReason reason, String message) throws Exception {
        SQLException e = assertRefused(h, from);
        assertTrue(e.getMessage().contains(message), "client sees: " + e.getMessage());
        SessionRecord r = refused(h, from);
        assertEquals(reason, r.refusalReason());
        assertTrue(r.message().startsWith(message), r.message());
        assertEquals("none", r.identity().source(), "nobody was identified");
        assertTrue(r.accessDecision().startsWith("denied: "), r.accessDecision());
        AuditEvent line = audit(h, AuditEvent.SESSION_REFUSED, r.id());
        assertEquals(reason.code(), line.get(AuditFields.REFUSAL_REASON));
        assertEquals("28000", line.get(AuditFields.SQLSTATE));
        assertEquals(from, line.get(AuditFields.CLIENT_ADDRESS));
        assertTrue(String.valueOf(line.get(AuditFields.MESSAGE)).startsWith(message), line.toString());
        assertNull(line.get(AuditFields.TAILSCALE_LOGIN));
    }

    /**
     * Userspace networking: tailscaled hands a tailnet peer's connection over from 127.0.0.1 with
     * a source port mapped for that connection only. Once it has closed, a local process that gets
     * the same port must not be admitted as that peer: every loopback connection is asked about.
     */
    @Test
    void aLoopbackSourcePortIsAskedAboutAgainAfterItsConnectionClosed() throws Exception {
        fake.whois("127.0.0.1", FakeLocalApi.Answer.json(FakeLocalApi.userNode("127.0.0.1", "carol@example.com",
                "Carol Example", "carols-pc.tail1a2b3.ts.net", "linux", Map.of())));
        int sourcePort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            sourcePort = s.getLocalPort();
        }
        try (EngineHarness h = engine(new AccessRules(List.of("carol@example.com"), List.of(), List.of()), "orders")) {
            assertEquals('R', firstAnswer(h, sourcePort), "carol's forwarded connection gets the server's authentication request");
            SessionRecord carol = started(h, "127.0.0.1");
            assertEquals(sourcePort, carol.clientPort());
            assertEquals("carol@example.com", carol.identity().loginName());
            h.await(e -> e.type() == SessionEvent.Type.END && e.record().id() == carol.id());

            fake.forgetWhois("127.0.0.1"); // tailscaled's mapping ended with the connection
            int asked = fake.requests("/localapi/v0/whois").size();
            assertEquals('E', firstAnswer(h, sourcePort), "the same 127.0.0.1 port, now a local process");
            assertTrue(fake.requests("/localapi/v0/whois").size() > asked, "asked afresh, not answered from the cache");
            SessionRecord local = refused(h, "127.0.0.1");
            assertEquals(sourcePort, local.clientPort());
            assertEquals(RefusalReason.NOT_A_TAILNET_PEER, local.refusalReason());
            assertEquals("none", local.identity().source());
        } finally {
            fake.forgetWhois("127.0.0.1");
        }
    }

    /** Connects from 127.0.0.1:{@code sourcePort}, sends a StartupMessage, returns the first byte of the answer, resets. */
    private static int firstAnswer(EngineHarness h, int sourcePort) throws Exception {
        try (java.net.Socket s = new java.net.Socket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress("127.0.0.1", sourcePort));
            s.connect(new java.net.InetSocketAddress(h.host(), h.port()), 5000);
            s.setSoTimeout(10_000);
            io.netty.buffer.ByteBuf startup = dev.verifull.wire.StartupMessage.of(dev.verifull.wire.StartupMessage.PROTOCOL_3_0,
                    new java.util.LinkedHashMap<>(Map.of("user", "postgres", "database", "postgres")))
                    .encode(io.netty.buffer.ByteBufAllocator.DEFAULT);
            try {
                byte[] bytes = new byte[startup.readableBytes()];
                startup.readBytes(bytes);
                s.getOutputStream().write(bytes);
            } finally {
                startup.release();
            }
            int first = s.getInputStream().read();
            s.setSoLinger(true, 0); // no TIME_WAIT: the port is free for the next connection at once
            return first;
        }
    }

    @Test
    void psqlThroughTheEngine() throws Exception {
        // libpq cannot choose its source address; towards 127.0.0.2 the kernel picks 127.0.0.1.
        fake.whois("127.0.0.1", FakeLocalApi.Answer.json(FakeLocalApi.userNode("127.0.0.1", "carol@example.com",
                "Carol Example", "carols-pc.tail1a2b3.ts.net", "linux", Map.of())));
        try (EngineHarness h = engine(new AccessRules(List.of("carol@example.com"), List.of(), List.of()), "orders")) {
            String conninfo = "host=" + h.host() + " port=" + h.port() + " user=postgres dbname=postgres sslmode=require";
            Psql.Result ok = Psql.system().run(conninfo, "select 'hello carol'", Duration.ofSeconds(30));
            assertTrue(ok.ok(), ok.toString());
            assertEquals("hello carol", ok.out());
            SessionRecord r = started(h, "127.0.0.1");
            assertEquals("carol@example.com", r.identity().loginName());
            assertEquals("carols-pc.tail1a2b3.ts.net", r.identity().machine());
        }
        try (EngineHarness h = engine(new AccessRules(List.of("alice@example.com"), List.of(), List.of()), "orders")) {
            String conninfo = "host=" + h.host() + " port=" + h.port() + " user=postgres dbname=postgres sslmode=require";
            Psql.Result denied = Psql.system().run(conninfo, "select 1", Duration.ofSeconds(30));
            assertFalse(denied.ok(), denied.toString());
            assertTrue(denied.stderr().contains("verifull: access denied: carol@example.com on carols-pc.tail1a2b3.ts.net"
                    + " may not use profile 'orders'"), denied.stderr());
            assertEquals(RefusalReason.ACCESS_DENIED, refused(h, "127.0.0.1").refusalReason());
        } finally {
            fake.forgetWhois("127.0.0.1");
        }
    }
}
