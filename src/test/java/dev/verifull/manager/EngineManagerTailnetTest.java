package dev.verifull.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.verifull.profile.Profile;
import dev.verifull.tailnet.TailscaleServices;
import dev.verifull.tailscale.FakeLocalApi;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tailnet profile in the engine manager: waits for Tailscale, then serves its addresses with the profile's rules. */
class EngineManagerTailnetTest {
    @TempDir
    Path dir;
    private final LinkedBlockingQueue<ProfileStatus> statuses = new LinkedBlockingQueue<>();

    private ProfileStatus awaitStatus(Predicate<ProfileStatus> match) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            ProfileStatus s = statuses.poll(100, TimeUnit.MILLISECONDS);
            if (s != null && match.test(s)) return s;
        }
        throw new AssertionError("no matching profile status within 15 s");
    }

    @Test
    void aTailnetProfileWaitsThenServesWithItsRules() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(FakeLocalApi.SELF_IP))) {
            port = s.getLocalPort();
        }
        Profile orders = new Profile("orders", "127.0.0.1", pg.port(), "localhost", List.of(TestCa.shared().caFile().toString()),
                false, null, null, false, false, port, Profile.Binding.TAILNET, List.of("alice@example.com"), List.of(), null,
                "postgres", null, false, "jdk", 200, 0, 0);
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir.resolve("tailscaled")).state("Stopped");
             EngineManager manager = new EngineManager(EngineHarness.transport(), dir.resolve("local-ca"), null,
                     () -> new TailscaleServices(fake.client(), FakeLocalApi.ADDRESS_RANGES))) {
            manager.addStatusListener(statuses::add);
            manager.start(orders).get(30, TimeUnit.SECONDS);
            ProfileStatus waiting = awaitStatus(s -> "waiting for Tailscale (state: Stopped)".equals(s.detail()));
            assertEquals(EngineStatus.WAITING_FOR_TAILSCALE, waiting.status());

            fake.state("Running");
            ProfileStatus running = awaitStatus(s -> s.status() == EngineStatus.RUNNING);
            assertEquals(List.of(new InetSocketAddress(FakeLocalApi.SELF_IP, port)), running.addresses());
            assertTrue(running.detail().startsWith("clients get the local CA "), running.detail());

            try (Connection c = connect(port, FakeLocalApi.ALICE_IP); ResultSet rs = c.createStatement().executeQuery("select 'ok'")) {
                assertTrue(rs.next());
            }
            SQLException denied = assertThrows(SQLException.class, () -> connect(port, FakeLocalApi.TAGGED_IP).close());
            assertEquals("28000", denied.getSQLState());
            assertTrue(denied.getMessage().contains("may not use profile 'orders'"), denied.getMessage());

            assertEquals(EngineStatus.STOPPED, manager.stop("orders").get(30, TimeUnit.SECONDS).status());
            assertThrows(ConnectException.class, () -> new Socket(FakeLocalApi.SELF_IP, port).close());
        }
    }

    private static Connection connect(int port, String from) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("sslmode", "require");
        p.setProperty("localSocketAddress", from);
        p.setProperty("assumeMinServerVersion", "12");
        return DriverManager.getConnection("jdbc:postgresql://" + FakeLocalApi.SELF_IP + ":" + port + "/postgres", p);
    }
}
