package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;

/**
 * Bytes can reach the engine before its (asynchronous) admission step has answered — e.g. when
 * the client half-closes right after its StartupMessage. They must wait for the admission.
 */
class AdmissionOrderTest {
    @TempDir
    Path dir;

    private static ClientAdmission slow() {
        return remote -> CompletableFuture.supplyAsync(() -> Admission.allow(PeerIdentity.UNKNOWN, "slow but fine"),
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void startupBeforeAdmissionWaitsForIt() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).admission(slow()).start()) {
            try (Socket s = new Socket("127.0.0.1", h.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(ClientProtocolTest.startup(Map.of("user", "postgres", "database", "postgres")));
                byte[] first = s.getInputStream().readNBytes(9);
                assertEquals('R', first[0], "AuthenticationOk arrives once the admission let the client in");
                assertEquals(0, ByteBuffer.wrap(first, 5, 4).getInt());
            }
            SessionEvent start = h.awaitType(SessionEvent.Type.START);
            assertEquals("slow but fine", start.record().accessDecision());
        }
    }

    @Test
    void startupAndHalfCloseBeforeAdmissionIsNotAnInternalError() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).admission(slow()).start()) {
            try (Socket s = new Socket("127.0.0.1", h.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(ClientProtocolTest.startup(Map.of("user", "postgres", "database", "postgres")));
                s.shutdownOutput();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                s.getInputStream().transferTo(got);
                assertTrue(!got.toString(StandardCharsets.ISO_8859_1).contains("internal error"), got.toString(StandardCharsets.ISO_8859_1));
            }
            SessionEvent end = h.await(e -> e.type() != SessionEvent.Type.START);
            assertTrue(end.record().refusalReason() != RefusalReason.INTERNAL_ERROR
                    && (end.record().endReason() == null || !end.record().endReason().contains("internal error")), end.toString());
        }
    }

    @Test
    void directTlsClientHelloBeforeAdmissionIsAnswered() throws Exception {
        // libpq sends its ClientHello at once; the admission answers 300 ms later, after that read
        // has completed. The ServerHello must still go out (it once waited for a read-complete
        // that never came, and the client timed out).
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).admission(slow()).start()) {
            Psql.Result r = Psql.libpq(17).run("host=127.0.0.1 port=" + h.port() + " dbname=postgres user=postgres "
                    + "sslmode=verify-full sslnegotiation=direct connect_timeout=10 sslrootcert=" + h.localCaFile(),
                    "select 'direct after admission'", Duration.ofSeconds(20));
            assertTrue(r.ok(), r.toString());
            assertEquals("direct after admission", r.out());
            assertEquals(ClientTransport.DIRECT_TLS, h.awaitType(SessionEvent.Type.START).record().clientTransport());
        }
    }
}
