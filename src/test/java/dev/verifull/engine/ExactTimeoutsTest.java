package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.Psql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each timeout bounds what its help text says. Against an upstream that accepts TCP and never
 * answers, a client waits for the connect timeout (3 s here), not the connect timeout plus the
 * client's handshake timeout (10 s), and is told which one fired. Upper bounds are generous: the
 * test tells the deadlines apart, it does not measure speed.
 */
class ExactTimeoutsTest {
    private static final Duration CONNECT = Duration.ofSeconds(3);
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private ServerSocket silent;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private Thread acceptor;

    @BeforeEach
    void silentUpstream() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            try {
                while (true) held.add(silent.accept()); // accepted and never answered
            } catch (IOException closed) {
                // test over
            }
        }, "silent-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void close() throws IOException {
        silent.close();
        for (Socket s : held) s.close();
    }

    @Test
    void aSilentUpstreamCostsTheClientTheConnectTimeoutOnly() throws Exception {
        try (EngineHarness h = EngineHarness.builder(dir, silent.getLocalPort())
                .connectTimeout(CONNECT).handshakeTimeout(HANDSHAKE).start()) {
            for (String sslmode : new String[] {"disable", "require"}) { // require: the upstream is opened at the SSLRequest
                long started = System.nanoTime();
                Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + h.port() + " user=postgres dbname=postgres sslmode="
                        + sslmode + " connect_timeout=60", "select 1", Duration.ofSeconds(60));
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                assertFalse(r.ok(), r.toString());
                assertTrue(r.stderr().contains("did not complete a verified TLS connection within 3 s (the connect timeout)"),
                        sslmode + ": " + r);
                assertTrue(waited.compareTo(CONNECT.plusSeconds(3)) < 0,
                        sslmode + ": the client waited " + waited.toMillis() + " ms, longer than the connect timeout allows");
                SessionRecord refused = h.awaitType(SessionEvent.Type.REFUSED).record();
                assertEquals(RefusalReason.UPSTREAM_UNREACHABLE, refused.refusalReason());
            }
        }
    }
}
