package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle sockets neither lock anyone out nor multiply server backends: with a session limit of 20,
 * 300 connections that send nothing and 300 that send only an SSLRequest are held in the startup
 * pool (its oldest dropped as newer ones come), take no session slot and open at most the
 * engine's few speculative upstream connections, while a real psql query still gets through.
 */
class StartupFloodTest {
    private static final byte[] SSL_REQUEST = {0, 0, 0, 8, 4, (byte) 210, 22, 47};

    @TempDir
    Path dir;

    @Test
    void sixHundredIdleConnectionsDoNotKeepPsqlOutNorReachTheServer() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        List<Socket> flood = new ArrayList<>();
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).maxSessions(20).start()) {
            AtomicInteger dropped = new AtomicInteger();
            h.engine.addListener(e -> {
                if (e.record().refusalReason() == RefusalReason.TOO_MANY_STARTUPS) dropped.incrementAndGet();
            });
            UpstreamWatch upstream = new UpstreamWatch(h);
            int droppedBeforePsql;
            int heldBeforePsql;
            try {
                for (int i = 0; i < 300; i++) flood.add(new Socket("127.0.0.1", h.port()));
                for (int i = 0; i < 300; i++) {
                    Socket s = new Socket("127.0.0.1", h.port());
                    s.getOutputStream().write(SSL_REQUEST); // and then nothing: no TLS handshake follows
                    flood.add(s);
                }
                // Wait until the engine has taken every one of them in: it holds the newest, the rest were dropped.
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (dropped.get() < 600 - EngineLimits.MAX_UNFINISHED_STARTUPS_PER_PEER && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                droppedBeforePsql = dropped.get();
                heldBeforePsql = h.engine.unfinishedStartups();

                long started = System.nanoTime();
                Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + h.port() + " user=postgres dbname=postgres",
                        "select 'through the flood'", Duration.ofSeconds(10));
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(r.ok(), r.toString());
                assertEquals("through the flood", r.out());
                assertTrue(millis < 2000, "psql took " + millis + " ms");
                h.await(e -> e.type() == SessionEvent.Type.END && "postgres".equals(e.record().user()));
                assertTrue(h.engine.sessions().stream().allMatch(s -> s.user() == null), "the flood sent no StartupMessage");
            } finally {
                upstream.stop();
            }
            // psql's own, plus at most the speculative ones: never one per idle socket.
            assertTrue(upstream.max() <= EngineLimits.MAX_SPECULATIVE_UPSTREAMS + 1,
                    "at most " + (EngineLimits.MAX_SPECULATIVE_UPSTREAMS + 1) + " upstream connections open at once, saw "
                            + upstream.max() + " (opened " + h.engine.upstreamConnectionsOpened() + " in all)");
            assertEquals(600 - EngineLimits.MAX_UNFINISHED_STARTUPS_PER_PEER, droppedBeforePsql,
                    "all from one address: all but the newest " + EngineLimits.MAX_UNFINISHED_STARTUPS_PER_PEER + " dropped");
            assertEquals(EngineLimits.MAX_UNFINISHED_STARTUPS_PER_PEER, heldBeforePsql, "the pool holds the newest");
            System.out.println("flood: " + dropped.get() + " dropped, at most " + upstream.max()
                    + " upstream connections open at once, " + h.engine.upstreamConnectionsOpened() + " opened in all");
        } finally {
            for (Socket s : flood) close(s);
        }
    }

    /** Samples the engine's open upstream connections (each a server backend) until stopped. */
    private static final class UpstreamWatch {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger max = new AtomicInteger();
        private final Thread thread;

        UpstreamWatch(EngineHarness h) {
            thread = new Thread(() -> {
                while (running.get()) {
                    max.accumulateAndGet(h.engine.openUpstreamConnections(), Math::max);
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "upstream-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        int max() {
            return max.get();
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
