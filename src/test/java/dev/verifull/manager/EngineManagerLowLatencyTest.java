package dev.verifull.manager;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.profile.FreePorts;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileBuilder;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;

/**
 * A low-latency profile (busy polling) runs on I/O threads of its own, so the other profiles'
 * engines never poll; the threads end with the profile.
 */
class EngineManagerLowLatencyTest {
    @TempDir
    Path dir;

    private ProfileBuilder orders(PgServer pg) {
        return profile().name("orders").upstream("127.0.0.1", pg.port()).serverName("localhost")
                .ca(TestCa.shared().caFile()).listenPort(FreePorts.firstFreeFrom(17532, Set.of()));
    }

    @Test
    void aLowLatencyProfileRelaysOnItsOwnIoThreadsWhichEndWhenItStops() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        Profile p = orders(pg).busyPollMicros(50).build();
        try (EngineManager manager = new EngineManager(EngineHarness.transport(), dir.resolve("local-ca"), null)) {
            Set<String> own = threadsAddedByRelayingThrough(manager, p);
            assertFalse(own.isEmpty(), "the engine listens on new I/O threads");
            assertEquals(1, own.stream().map(EngineManagerLowLatencyTest::pool).distinct().count(), own.toString());

            manager.stop("orders").get(30, TimeUnit.SECONDS);
            Set<String> left = ioThreads();
            left.retainAll(own);
            // a loop's termination is reported just before its thread returns
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); !left.isEmpty() && System.nanoTime() < deadline; ) {
                Thread.sleep(20);
                left.retainAll(ioThreads());
            }
            assertEquals(Set.of(), left, "the profile's own I/O threads end with it");
        }
    }

    @Test
    void aProfileWithoutLowLatencySharesTheAppsIoThreads() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        Profile p = orders(pg).build();
        try (EngineManager manager = new EngineManager(EngineHarness.transport(), dir.resolve("local-ca"), null)) {
            assertEquals(Set.of(), threadsAddedByRelayingThrough(manager, p));
        }
    }

    @Test
    void aPollTimeOutsideTheRangeStopsTheProfileWithTheReason() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineManager manager = new EngineManager(EngineHarness.transport(), dir.resolve("local-ca"), null)) {
            warmSharedThreads();
            Set<String> before = ioThreads();
            ProfileStatus status = manager.start(orders(pg).busyPollMicros(5000).build()).get(30, TimeUnit.SECONDS);
            assertEquals(EngineStatus.ERROR, status.status());
            assertEquals("profile 'orders': Look for traffic 0–1000 µs before sleeping (0 = off)", status.detail());
            Set<String> added = ioThreads();
            added.removeAll(before);
            assertEquals(Set.of(), added, "no I/O threads were made for it");
        }
    }

    /** Starts the profile, relays a query through it, and names the I/O threads that appeared meanwhile. */
    private static Set<String> threadsAddedByRelayingThrough(EngineManager manager, Profile p) throws Exception {
        warmSharedThreads();
        Set<String> before = ioThreads();
        ProfileStatus status = manager.start(p).get(30, TimeUnit.SECONDS);
        assertEquals(EngineStatus.RUNNING, status.status(), status.toString());
        assertEquals("relayed", query(p.listenPort()));
        Set<String> added = ioThreads();
        added.removeAll(before);
        return added;
    }

    private static String query(int port) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("sslmode", "disable");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props);
             ResultSet rs = c.createStatement().executeQuery("select 'relayed'")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    /** Every loop of the shared group runs, so a start of one is not mistaken for new threads. */
    private static void warmSharedThreads() throws Exception {
        for (var loop : EngineHarness.transport().group()) loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    /** Names of the live Netty I/O threads ("verifull-io-POOL-N"). */
    private static Set<String> ioThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("verifull-io-")).collect(Collectors.toCollection(HashSet::new));
    }

    private static String pool(String threadName) {
        return threadName.substring(0, threadName.lastIndexOf('-'));
    }
}
