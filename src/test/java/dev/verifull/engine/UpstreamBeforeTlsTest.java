package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.verifull.audit.AuditEvent;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.FakeDirectTlsUpstream;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestPki;
import dev.verifull.tls.TlsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an upstream says before its TLS is verified proves nothing: direct TLS must end with ALPN
 * "postgresql" (as libpq 17+ requires), and an ErrorResponse in answer to the SSLRequest is not
 * shown to the client (CVE-2024-10977), only kept for the audit log, marked as unauthenticated.
 * Real sockets and psql; the client's StartupMessage never reaches such a server.
 */
class UpstreamBeforeTlsTest {
    private static final TestPki.Issued CA = TestPki.rootCa("ALPN Test CA");
    private static final TestPki.Issued SERVER = TestPki.server(CA, "localhost", "127.0.0.1");

    @TempDir
    Path dir;

    static Stream<Arguments> alpnCases() {
        return Stream.of(FakeDirectTlsUpstream.Alpn.NONE, FakeDirectTlsUpstream.Alpn.OTHER)
                .flatMap(alpn -> Stream.of(TlsProvider.values()).map(p -> Arguments.of(alpn, p)));
    }

    @ParameterizedTest(name = "server ALPN {0}, {1}")
    @MethodSource("alpnCases")
    void directTlsWithoutAlpnPostgresqlIsRefusedBeforeAnyClientByte(FakeDirectTlsUpstream.Alpn alpn, TlsProvider provider)
            throws Exception {
        try (FakeDirectTlsUpstream upstream = new FakeDirectTlsUpstream(alpn, SERVER);
             EngineHarness h = EngineHarness.builder(dir, upstream.port()).ca(CA.writeCertificate(dir.resolve("ca.pem")))
                     .directTls(true).provider(provider).start()) {
            Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + h.port() + " user=mallory dbname=secretdb sslmode=disable",
                    "select 1", Duration.ofSeconds(30));
            assertFalse(r.ok(), r.toString());
            assertTrue(r.stderr().contains("verifull: upstream 127.0.0.1:" + upstream.port() + ": direct TLS without ALPN"), r.stderr());
            assertTrue(r.stderr().contains("\"postgresql\""), r.stderr());

            SessionEvent refused = h.awaitType(SessionEvent.Type.REFUSED);
            assertEquals(RefusalReason.UPSTREAM_TLS_HANDSHAKE, refused.record().refusalReason());
            assertEquals("08001", refused.record().sqlState());
            assertTrue(refused.record().message().contains("ALPN"), refused.record().message());
            List<AuditEvent> audit = h.auditRecords();
            assertTrue(audit.stream().anyMatch(a -> a.event().equals("session.refused")
                    && String.valueOf(a.fields().get("message")).contains("direct TLS without ALPN")), "audit: " + audit);

            assertTrue(upstream.connections() >= 1, "the server was reached");
            String got = new String(upstream.received(), StandardCharsets.ISO_8859_1);
            assertFalse(got.contains("mallory") || got.contains("secretdb"), "the StartupMessage must not reach it: " + got);
        }
    }

    /** The same fake with ALPN "postgresql" is verified and gets the StartupMessage: the refusals above are about ALPN. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsProvider.class)
    void theSameServerWithAlpnPostgresqlIsUsed(TlsProvider provider) throws Exception {
        try (FakeDirectTlsUpstream upstream = new FakeDirectTlsUpstream(FakeDirectTlsUpstream.Alpn.POSTGRESQL, SERVER);
             EngineHarness h = EngineHarness.builder(dir, upstream.port()).ca(CA.writeCertificate(dir.resolve("ca.pem")))
                     .directTls(true).provider(provider).handshakeTimeout(Duration.ofSeconds(3)).start()) {
            Psql.system().run("host=127.0.0.1 port=" + h.port() + " user=alice dbname=orders sslmode=disable connect_timeout=2",
                    "select 1", Duration.ofSeconds(30)); // the fake never answers the login; psql gives up
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!new String(upstream.received(), StandardCharsets.ISO_8859_1).contains("alice") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(new String(upstream.received(), StandardCharsets.ISO_8859_1).contains("alice"),
                    "a server that selected \"postgresql\" gets the StartupMessage");
        }
    }

    /**
     * A server (or anyone on the path) answers the SSLRequest with an ErrorResponse of its own
     * choosing. The client is told only that the server answered with an error; the text goes to
     * the session record and the audit log as unauthenticated.
     */
    @Test
    void anErrorAnswerToTheSslRequestIsNotShownToTheClient() throws Exception {
        String crafted = "password expired: log in at https://evil.example/reset";
        try (CraftedErrorServer upstream = new CraftedErrorServer("28000", crafted);
             EngineHarness h = EngineHarness.builder(dir, upstream.port()).ca(CA.writeCertificate(dir.resolve("ca.pem"))).start()) {
            Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + h.port() + " user=mallory dbname=secretdb sslmode=prefer",
                    "select 1", Duration.ofSeconds(30));
            assertFalse(r.ok(), r.toString());
            assertTrue(r.stderr().contains("verifull: the upstream server 127.0.0.1:" + upstream.port()
                    + " answered the TLS request with an error"), r.stderr());
            assertTrue(r.stderr().contains("not shown"), r.stderr());
            assertFalse(r.stderr().contains("evil.example") || r.stderr().contains("password expired"),
                    "the unauthenticated text must not reach the client: " + r.stderr());

            SessionRecord record = h.awaitType(SessionEvent.Type.REFUSED).record();
            assertEquals(RefusalReason.UPSTREAM_ERROR, record.refusalReason());
            assertEquals("08001", record.sqlState(), "Verifull's SQLSTATE, not the one the server claimed");
            assertFalse(record.message().contains("evil.example"), record.message());
            assertEquals("28000: " + crafted, record.upstreamUnauthenticatedError());

            AuditEvent audit = h.auditRecords().stream().filter(a -> a.event().equals("session.refused")).findFirst().orElseThrow();
            assertEquals("28000: " + crafted, audit.fields().get("upstream_unauthenticated_error"));
            assertFalse(String.valueOf(audit.fields().get("message")).contains("evil.example"));
            assertEquals(0, upstream.receivedAfterError(), "nothing more was sent to that server");
        }
    }

    /** Answers every SSLRequest with an ErrorResponse of its choosing, as a man in the middle could. */
    private static final class CraftedErrorServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private volatile int receivedAfterError;

        CraftedErrorServer(String sqlState, String message) throws IOException {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        new DataInputStream(s.getInputStream()).readFully(new byte[8]);
                        s.getOutputStream().write(errorResponse(sqlState, message));
                        s.getOutputStream().flush();
                        s.setSoTimeout(2000);
                        byte[] more = s.getInputStream().readNBytes(64);
                        receivedAfterError += more.length;
                    } catch (IOException e) {
                        // the proxy closed, as it should
                    }
                }
            }, "crafted-error-server");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int receivedAfterError() {
            return receivedAfterError;
        }

        private static byte[] errorResponse(String sqlState, String message) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String f : new String[] {"SFATAL", "VFATAL", "C" + sqlState, "M" + message, "Hvisit https://evil.example"}) {
                body.writeBytes(f.getBytes(StandardCharsets.UTF_8));
                body.write(0);
            }
            body.write(0);
            byte[] b = body.toByteArray();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write('E');
            int len = b.length + 4;
            out.write(len >>> 24);
            out.write(len >>> 16);
            out.write(len >>> 8);
            out.write(len);
            out.writeBytes(b);
            return out.toByteArray();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
