package dev.verifull.manager;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.profile.FreePorts;
import dev.verifull.profile.ProfileBuilder;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.FakeUpstream;
import dev.verifull.testing.TestPki;

/** A profile's warm upstream count reaches the engine the manager starts for it. */
class EngineManagerWarmUpstreamsTest {
    @TempDir
    Path dir;

    private ProfileBuilder towards(FakeUpstream upstream, TestPki.Issued ca) {
        return profile().name("orders").upstream("127.0.0.1", upstream.port()).serverName("localhost")
                .ca(ca.writeCertificate(dir.resolve("ca.pem"))).listenPort(FreePorts.firstFreeFrom(17432, java.util.Set.of()));
    }

    @Test
    void theEngineKeepsTheProfilesCountReadyOnEveryIoThread() throws Exception {
        TestPki.Issued ca = TestPki.rootCa("Manager Warm CA");
        try (FakeUpstream upstream = new FakeUpstream(FakeUpstream.Mode.TLS, TestPki.server(ca, "localhost", "127.0.0.1"));
             EngineManager manager = new EngineManager(EngineHarness.transport(), dir.resolve("local-ca"), null)) {
            ProfileStatus status = manager.start(towards(upstream, ca).warmUpstreams(2).build()).get(15, TimeUnit.SECONDS);
            assertEquals(EngineStatus.RUNNING, status.status(), status.toString());
            int expected = 2 * ioThreads();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (upstream.connections() < expected && System.nanoTime() < deadline) Thread.sleep(20);
            Thread.sleep(200); // and no more than that
            assertEquals(expected, upstream.connections());
        }
    }

    @Test
    void aCountOutsideTheRangeStopsTheProfileWithTheReason() throws Exception {
        TestPki.Issued ca = TestPki.rootCa("Manager Cold CA");
        try (FakeUpstream upstream = new FakeUpstream(FakeUpstream.Mode.TLS, TestPki.server(ca, "localhost", "127.0.0.1"));
             EngineManager manager = new EngineManager(EngineHarness.transport(), dir.resolve("local-ca"), null)) {
            ProfileStatus status = manager.start(towards(upstream, ca).warmUpstreams(12).build()).get(15, TimeUnit.SECONDS);
            assertEquals(EngineStatus.ERROR, status.status());
            assertEquals("profile 'orders': Keep 0–8 connections ready: each one holds a server connection slot", status.detail());
            assertEquals(0, upstream.connections());
        }
    }

    private static int ioThreads() {
        int n = 0;
        for (var ignored : EngineHarness.transport().group()) n++;
        return n;
    }
}
