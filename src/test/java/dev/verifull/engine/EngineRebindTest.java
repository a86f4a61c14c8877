package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.engine.pg.ProxyEngine;
import dev.verifull.testing.EngineHarness;

/** {@link ProxyEngine#rebind}: an engine with nothing to listen on waits, then follows the addresses it is given. */
class EngineRebindTest {
    @TempDir
    Path dir;

    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    private static List<InetSocketAddress> rebind(ProxyEngine engine, InetSocketAddress... addresses) throws Exception {
        return engine.rebind(List.of(addresses)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void waitsBindsMovesAndWaitsAgain() throws Exception {
        try (EngineHarness h = EngineHarness.builder(dir, 1).listenNowhere().start()) {
            ProxyEngine engine = h.engine;
            assertEquals(EngineState.WAITING, engine.state());
            assertEquals(List.of(), engine.boundAddresses());

            List<InetSocketAddress> both = rebind(engine, at("127.0.0.2", 0), at("127.0.0.9", 0));
            assertEquals(EngineState.RUNNING, engine.state());
            assertEquals(2, both.size());
            int portOnNine = both.get(1).getPort();

            // Port 0 keeps whatever port the address already has; the other address is let go.
            assertEquals(List.of(at("127.0.0.9", portOnNine)), rebind(engine, at("127.0.0.9", 0)));
            assertEquals(List.of(at("127.0.0.9", portOnNine)), engine.boundAddresses());

            assertEquals(List.of(), rebind(engine));
            assertEquals(EngineState.WAITING, engine.state());

            // The address given up can be had again at once.
            assertEquals(List.of(at("127.0.0.9", portOnNine)), rebind(engine, at("127.0.0.9", portOnNine)));
            assertEquals(EngineState.RUNNING, engine.state());
        }
    }

    @Test
    void aFailedBindKeepsTheRestAndSaysWhich() throws Exception {
        try (EngineHarness h = EngineHarness.builder(dir, 1).listenNowhere().start();
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.5"))) {
            ProxyEngine engine = h.engine;
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> rebind(engine, at("127.0.0.5", taken.getLocalPort()), at("127.0.0.9", 0)));
            ProxyEngine.BindFailedException failure = assertInstanceOf(ProxyEngine.BindFailedException.class, e.getCause());
            assertEquals(at("127.0.0.5", taken.getLocalPort()), failure.address());
            assertTrue(failure.getMessage().contains("in use"), failure.getMessage());
            assertEquals(EngineState.RUNNING, engine.state());
            assertEquals(1, engine.boundAddresses().size());
            assertEquals("127.0.0.9", engine.boundAddresses().get(0).getAddress().getHostAddress());
        }
    }

    @Test
    void aStoppedEngineIsNotRebound() throws Exception {
        try (EngineHarness h = EngineHarness.builder(dir, 1).listenNowhere().start()) {
            h.engine.stop(Duration.ZERO).get(10, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> rebind(h.engine, at("127.0.0.2", 0)));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals(List.of(), h.engine.boundAddresses());
        }
    }
}
