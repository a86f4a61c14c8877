package dev.verifull.monitor;

import static dev.verifull.profile.ProfileBuilder.profile;
import static dev.verifull.testing.HttpGet.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.manager.EngineManager;
import dev.verifull.manager.EngineStatus;
import dev.verifull.manager.ProfileStatus;
import dev.verifull.metrics.PrometheusText;
import dev.verifull.profile.FreePorts;
import dev.verifull.profile.Profile;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.HttpGet;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;

/** A profile's metrics port, as the app runs it: through the engine manager, with the app's attachment. */
class ProfileMetricsPortTest {
    @TempDir
    Path dir;

    @Test
    void aProfileWithAMetricsPortServesItOnLoopbackWhileItRuns() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        int listen = FreePorts.firstFreeFrom(17632, Set.of());
        int metrics = FreePorts.firstFreeFrom(19632, Set.of(listen));
        Profile p = profile().name("orders").upstream("127.0.0.1", pg.port()).serverName("localhost")
                .ca(TestCa.shared().caFile()).listenPort(listen).metricsPort(metrics).build();
        try (EngineManager manager = new EngineManager(EngineHarness.transport(), dir.resolve("local-ca"), null)) {
            manager.attachToEngines(EngineMonitor::forMetricsPort);
            ProfileStatus status = manager.start(p).get(30, TimeUnit.SECONDS);
            assertEquals(EngineStatus.RUNNING, status.status(), String.valueOf(status.detail()));
            String base = "http://127.0.0.1:" + metrics;
            assertEquals(200, get(base + "/healthz").statusCode());
            waitFor(() -> get(base + "/readyz").statusCode() == 200);

            Properties props = new Properties();
            props.setProperty("user", "postgres");
            props.setProperty("sslmode", "disable");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + listen + "/postgres", props)) {
                c.createStatement().execute("select 1");
            }
            waitFor(() -> PrometheusText.parse(get(base + "/metrics").body())
                    .value("verifull_sessions_total", "outcome", "authenticated") == 1);
            PrometheusText t = PrometheusText.parse(get(base + "/metrics").body());
            assertEquals(1, t.value("verifull_upstream_verified"));
            assertEquals(1, t.value("verifull_startup_phase_seconds_count"));

            // Loopback only: the port is not open on this machine's other addresses.
            InetAddress other = nonLoopbackAddress();
            if (other != null) {
                assertThrows(ConnectException.class, () -> {
                    try (java.net.Socket s = new java.net.Socket()) {
                        s.connect(new java.net.InetSocketAddress(other, metrics), 5_000);
                    }
                });
            }

            manager.stop("orders").get(30, TimeUnit.SECONDS);
            var gone = assertThrows(java.io.UncheckedIOException.class, () -> get(base + "/healthz"), "the endpoint ends with the profile");
            assertTrue(gone.getCause() instanceof ConnectException, String.valueOf(gone.getCause()));
        }
    }

    @Test
    void aTakenMetricsPortStopsTheProfileWithTheReason() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        int listen = FreePorts.firstFreeFrom(17732, Set.of());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             EngineManager manager = new EngineManager(EngineHarness.transport(), dir.resolve("local-ca"), null)) {
            manager.attachToEngines(EngineMonitor::forMetricsPort);
            Profile p = profile().name("orders").upstream("127.0.0.1", pg.port()).serverName("localhost")
                    .ca(TestCa.shared().caFile()).listenPort(listen).metricsPort(taken.getLocalPort()).build();
            ProfileStatus status = manager.start(p).get(30, TimeUnit.SECONDS);
            assertEquals(EngineStatus.ERROR, status.status());
            assertTrue(status.detail().startsWith("cannot listen for metrics on 127.0.0.1:" + taken.getLocalPort()), status.detail());
            // and the engine it had started is gone: its port is free again
            try (ServerSocket again = new ServerSocket(listen, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(listen, again.getLocalPort());
            }
        }
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) continue;
            for (var a : java.util.Collections.list(nif.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address) return a;
            }
        }
        return null;
    }


    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(100);
        }
    }
}
