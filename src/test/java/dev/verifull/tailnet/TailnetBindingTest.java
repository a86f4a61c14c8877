package dev.verifull.tailnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.verifull.engine.EngineState;
import dev.verifull.tailscale.CertificateCache;
import dev.verifull.tailscale.FakeLocalApi;
import dev.verifull.tailscale.LocalApiClient;
import dev.verifull.tailscale.StatusWatcher;
import dev.verifull.tailscale.TailscaleStatus;
import dev.verifull.tailscale.WhoIsCache;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;
import dev.verifull.testing.TestPki;
import dev.verifull.testing.TlsProbe;
import dev.verifull.tls.LocalCa;
import dev.verifull.tls.TlsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine in tailnet mode follows the fake tailscaled: it waits while Tailscale is stopped,
 * binds this machine's Tailscale address once it runs, moves when the address changes (live
 * sessions go on), and shows clients Tailscale's certificate when the tailnet has one.
 */
class TailnetBindingTest {
    private static final String NEW_SELF_IP = "127.0.0.9";

    @TempDir
    Path dir;
    private FakeLocalApi fake;
    private LocalApiClient client;
    private StatusWatcher watcher;
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<String> notes = new LinkedBlockingQueue<>();

    @BeforeEach
    void startFake() {
        fake = FakeLocalApi.startUnix(dir.resolve("tailscaled"));
        client = fake.client();
        watcher = new StatusWatcher(client::status, Duration.ofMillis(100), FakeLocalApi.ADDRESS_RANGES);
    }

    @AfterEach
    void stopFake() {
        watcher.close();
        client.close();
        fake.close();
    }

    private TailnetCertificates certificates() throws Exception {
        return new TailnetCertificates(LocalCa.loadOrCreate(dir.resolve("tailnet-ca")),
                domain -> new CertificateCache(client, domain), TlsProvider.JDK, List.of(), notes::add);
    }

    private EngineHarness engine(TailnetCertificates certificates) throws Exception {
        return EngineHarness.builder(dir.resolve("engine"), PgServer.shared(17, PgServer.Options.tls()).port())
                .ca(TestCa.shared().caFile()).listenNowhere().clientTls(certificates.context())
                .admission(new TailscaleAdmission(new WhoIsCache(client), client::status, AccessRules.ANY_PEER, "orders")).start();
    }

    private TailnetBinding bind(EngineHarness h, int port, TailnetCertificates certificates) {
        return new TailnetBinding(h.engine, port, watcher, certificates, new TailnetBinding.Events() {
            @Override
            public void waiting(TailscaleStatus status) {
                events.add(TailnetBinding.waitingText(status));
            }

            @Override
            public void listening(List<InetSocketAddress> addresses, TailscaleStatus status, String certificate) {
                events.add("listening on " + addresses.stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                        .collect(java.util.stream.Collectors.joining(", ")) + " with " + certificate);
            }

            @Override
            public void bindFailed(Throwable failure, TailscaleStatus status) {
                events.add("bind failed: " + failure.getMessage());
            }

            @Override
            public void ignoredAddresses(List<InetAddress> ignored, TailscaleStatus status) {
                events.add("ignored " + ignored.stream().map(InetAddress::getHostAddress)
                        .collect(java.util.stream.Collectors.joining(", ")));
            }
        }).start();
    }

    private String nextEvent() throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) throw new AssertionError("no binding event within 10 s");
        return e;
    }

    @Test
    void waitsBindsAndFollowsTheAddresses() throws Exception {
        fake.state("Stopped");
        int port = freePort();
        TailnetCertificates certificates = certificates();
        try (EngineHarness h = engine(certificates); TailnetBinding binding = bind(h, port, certificates)) {
            assertEquals("waiting for Tailscale (state: Stopped)", nextEvent());
            assertEquals(EngineState.WAITING, h.engine.state());
            assertNotListening(FakeLocalApi.SELF_IP, port);

            fake.state("Running");
            assertTrue(nextEvent().startsWith("listening on 127.0.0.2:" + port + " with the local CA "));
            assertEquals(EngineState.RUNNING, h.engine.state());
            assertEquals(List.of(new InetSocketAddress(FakeLocalApi.SELF_IP, port)), h.engine.boundAddresses());
            assertEquals("through", query(FakeLocalApi.SELF_IP, port));

            try (Connection live = connect(FakeLocalApi.SELF_IP, port)) {
                fake.selfAddresses(NEW_SELF_IP);
                assertTrue(nextEvent().startsWith("listening on 127.0.0.9:" + port + " "));
                assertNotListening(FakeLocalApi.SELF_IP, port);
                assertEquals("through", query(NEW_SELF_IP, port));
                assertEquals("still here", select(live, "still here"), "a live session survives the move");

                fake.state("Stopped");
                assertEquals("waiting for Tailscale (state: Stopped)", nextEvent());
                waitFor(() -> h.engine.state() == EngineState.WAITING);
                assertNotListening(NEW_SELF_IP, port);
                assertEquals("still here", select(live, "still here"));

                fake.state("Running");
                assertTrue(nextEvent().startsWith("listening on 127.0.0.9:" + port + " "), "the same address again");
                assertEquals("through", query(NEW_SELF_IP, port));
            }
            // The certificate follows the address, so verify-full against the address keeps working.
            assertTrue(presentedCertificate(NEW_SELF_IP, port).getSubjectAlternativeNames().stream()
                    .anyMatch(san -> NEW_SELF_IP.equals(san.get(1))));
        }
    }

    /**
     * A status that lists the wildcard or a LAN address next to the Tailscale one (a confused or
     * fake tailscaled): the engine listens on the Tailscale address only and says what it left out.
     */
    @Test
    void neverListensOutsideTheTailscaleRanges() throws Exception {
        int port = freePort();
        fake.selfAddresses("0.0.0.0", FakeLocalApi.SELF_IP, "192.168.1.5");
        TailnetCertificates certificates = certificates();
        try (EngineHarness h = engine(certificates); TailnetBinding binding = bind(h, port, certificates)) {
            assertEquals("ignored 0.0.0.0, 192.168.1.5", nextEvent());
            assertTrue(nextEvent().startsWith("listening on 127.0.0.2:" + port + " with "));
            assertEquals(List.of(new InetSocketAddress(FakeLocalApi.SELF_IP, port)), h.engine.boundAddresses());
            assertNotListening("127.0.0.1", port); // a wildcard bind would answer here

            fake.selfAddresses("0.0.0.0");
            assertEquals("ignored 0.0.0.0", nextEvent());
            assertEquals("waiting for Tailscale (state: Running, no Tailscale address yet)", nextEvent());
            assertNotListening("127.0.0.1", port);
            assertNotListening(FakeLocalApi.SELF_IP, port);
        }
    }

    @Test
    void ignoredAddressesTextNamesTheRanges() throws Exception {
        assertEquals("not listening on 0.0.0.0: Tailscale's status lists it, but it is not a Tailscale address"
                + " (100.64.0.0/10, fd7a:115c:a1e0::/48)", TailnetBinding.ignoredText(List.of(InetAddress.getByName("0.0.0.0"))));
    }

    @Test
    void servesTheAddressesItCanBindAndRetriesTheRest() throws Exception {
        int port = freePort();
        fake.selfAddresses(FakeLocalApi.SELF_IP, NEW_SELF_IP);
        TailnetCertificates certificates = certificates();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName(NEW_SELF_IP));
             EngineHarness h = engine(certificates); TailnetBinding binding = bind(h, port, certificates)) {
            String failed = nextEvent();
            assertTrue(failed.startsWith("bind failed: cannot listen on 127.0.0.9:" + port), failed);
            assertTrue(nextEvent().startsWith("listening on 127.0.0.2:" + port + " with "));
            assertEquals("through", query(FakeLocalApi.SELF_IP, port));
            taken.close();
            assertTrue(nextEvent().startsWith("listening on 127.0.0.2:" + port + ", 127.0.0.9:" + port + " with "),
                    "bound once the port is free");
        }
    }

    @Test
    void unreachableTailscaleIsWaitedFor() throws Exception {
        TailnetCertificates certificates = certificates();
        fake.statusAnswer(FakeLocalApi.Answer.error(403, "status access denied"));
        try (EngineHarness h = engine(certificates); TailnetBinding binding = bind(h, 0, certificates)) {
            String waiting = nextEvent();
            assertTrue(waiting.startsWith("waiting for Tailscale (tailscaled answered 403 to the status request"), waiting);
            assertEquals(EngineState.WAITING, h.engine.state());
            fake.statusAnswer(null);
            assertTrue(nextEvent().startsWith("listening on 127.0.0.2:"));
        }
    }

    @Test
    void usesTheTailscaleCertificateWhenTheTailnetHasOne() throws Exception {
        TestPki.Issued ca = TestPki.rootCa("Fake Let's Encrypt");
        TestPki.Issued leaf = TestPki.server(ca, FakeLocalApi.SELF_DNS_NAME);
        fake.certPair(FakeLocalApi.SELF_DNS_NAME, FakeLocalApi.pairPem(leaf.key(), List.of(leaf.certificate(), ca.certificate())));
        TailnetCertificates certificates = certificates();
        try (EngineHarness h = engine(certificates); TailnetBinding binding = bind(h, 0, certificates)) {
            String listening = nextEvent();
            assertTrue(listening.endsWith(" with the Tailscale certificate for " + FakeLocalApi.SELF_DNS_NAME), listening);
            int port = h.engine.boundAddresses().get(0).getPort();
            assertEquals(leaf.certificate(), presentedCertificate(FakeLocalApi.SELF_IP, port));
        }
    }

    @Test
    void fallsBackToTheLocalCaWhenTailscaleWillNotIssue() throws Exception {
        fake.cert(FakeLocalApi.SELF_DNS_NAME, FakeLocalApi.Answer.error(403, "cert access denied"));
        TailnetCertificates certificates = certificates();
        try (EngineHarness h = engine(certificates); TailnetBinding binding = bind(h, 0, certificates)) {
            assertTrue(nextEvent().contains(" with the local CA "));
            String note = notes.poll(5, TimeUnit.SECONDS);
            assertTrue(note != null && note.startsWith("the Tailscale certificate is not available (tailscaled answered 403")
                    && note.contains("operator"), String.valueOf(note));
            int port = h.engine.boundAddresses().get(0).getPort();
            X509Certificate shown = presentedCertificate(FakeLocalApi.SELF_IP, port);
            assertTrue(shown.getSubjectAlternativeNames().stream().anyMatch(san -> FakeLocalApi.SELF_DNS_NAME.equals(san.get(1))),
                    "the local leaf names the MagicDNS name too");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(FakeLocalApi.SELF_IP))) {
            return s.getLocalPort();
        }
    }

    /** The old listener is closed as part of the move; allow the close a moment to take effect. */
    private static void assertNotListening(String host, int port) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                new Socket(host, port).close();
            } catch (ConnectException refused) {
                return;
            } catch (java.io.IOException other) {
                throw new AssertionError(other);
            }
            Thread.sleep(20);
        }
        throw new AssertionError(host + ":" + port + " still listens");
    }

    private static Connection connect(String host, int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("sslmode", "require");
        p.setProperty("localSocketAddress", FakeLocalApi.ALICE_IP);
        p.setProperty("assumeMinServerVersion", "12");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", p);
    }

    private static String query(String host, int port) throws SQLException {
        try (Connection c = connect(host, port)) {
            return select(c, "through");
        }
    }

    private static String select(Connection c, String text) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("select '" + text + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static X509Certificate presentedCertificate(String host, int port) throws Exception {
        return TlsProbe.presentedCertificate(host, port);
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(20);
        }
    }
}
