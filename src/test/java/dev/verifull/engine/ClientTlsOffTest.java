package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;

/**
 * An engine that offers clients no TLS (a profile's default, {@code serve --client-tls off}):
 * SSLRequest gets 'N' as from PostgreSQL with {@code ssl=off} or PgBouncer's default, so clients
 * that prefer TLS go on in plaintext; clients that insist on TLS fail, and direct TLS is refused
 * with a TLS alert and a record saying why. The upstream leg stays verified TLS.
 */
class ClientTlsOffTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final byte[] SSL_REQUEST = {0, 0, 0, 8, 4, (byte) 210, 22, 47};

    @TempDir
    static Path dir;
    static PgServer pg;
    static EngineHarness h;

    @BeforeAll
    static void start() throws Exception {
        pg = PgServer.shared(17, PgServer.Options.tls());
        h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).noClientTls().start();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    private static String conninfo(String extra) {
        return "host=127.0.0.1 port=" + h.port() + " dbname=postgres user=postgres " + extra;
    }

    @Test
    void sslRequestIsAnsweredNoAndTheClientGoesOnInPlaintext() throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(SSL_REQUEST);
            assertEquals('N', s.getInputStream().read());
            s.getOutputStream().write(ClientProtocolTest.startup(Map.of("user", "postgres", "database", "postgres",
                    "application_name", "raw-after-n")));
            byte[] first = s.getInputStream().readNBytes(9); // AuthenticationOk from the real server
            assertEquals('R', first[0]);
            assertEquals(0, ByteBuffer.wrap(first, 5, 4).getInt());
        }
        SessionEvent started = h.await(e -> e.type() == SessionEvent.Type.START && "raw-after-n".equals(e.record().applicationName()));
        assertEquals(ClientTransport.PLAINTEXT, started.record().clientTransport());
        assertTrue(started.record().upstreamTlsProtocol().startsWith("TLSv1."), "the server leg is TLS all the same");
    }

    @Test
    void clientsThatPreferTlsConnectInPlaintext() throws Exception {
        Psql.Result r = Psql.system().run(conninfo("sslmode=prefer application_name=psql-prefer"), "select 'ok'", T);
        assertTrue(r.ok(), r.toString());
        assertEquals("ok", r.out());
        assertEquals(ClientTransport.PLAINTEXT, h.await(e -> e.type() == SessionEvent.Type.START
                && "psql-prefer".equals(e.record().applicationName())).record().clientTransport());

        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + h.port()
                + "/postgres?sslmode=prefer&ApplicationName=jdbc-prefer&assumeMinServerVersion=12", "postgres", "")) {
            assertTrue(c.isValid(5));
        }
        assertEquals(ClientTransport.PLAINTEXT, h.await(e -> e.type() == SessionEvent.Type.START
                && "jdbc-prefer".equals(e.record().applicationName())).record().clientTransport());
    }

    @Test
    void aClientThatRequiresTlsIsTurnedAwayByItsOwnRule() {
        Psql.Result r = Psql.system().run(conninfo("sslmode=require"), "select 1", T);
        assertFalse(r.ok());
        assertTrue(r.stderr().contains("server does not support SSL"), r.toString());
    }

    @Test
    void aSecondSslRequestAfterTheAnswerIsAProtocolViolation() throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(SSL_REQUEST);
            assertEquals('N', s.getInputStream().read());
            s.getOutputStream().write(SSL_REQUEST);
            String answer = new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("E") && answer.contains("08P01")
                    && answer.contains("SSLRequest received again after it was answered"), answer);
        }
    }

    @Test
    void directTlsGetsAHandshakeFailureAlertAndARecordThatSaysWhy() throws Exception {
        byte[] clientHelloStart = {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00};
        try (Socket s = new Socket("127.0.0.1", h.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(clientHelloStart);
            assertArrayEquals(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}, readAll(s.getInputStream()),
                    "a fatal handshake_failure alert, then the connection closes");
        }
        SessionEvent refused = h.await(e -> e.type() == SessionEvent.Type.REFUSED && e.record().refusalReason() == RefusalReason.CLIENT_TLS);
        assertTrue(refused.record().message().contains("does not offer TLS to clients"), refused.record().message());
    }

    @Test
    void pgJdbcWithDirectTlsFailsAsAHandshakeFailure() throws Exception {
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + h.port()
                + "/postgres?sslmode=require&sslNegotiation=direct&ApplicationName=jdbc-direct", "postgres", "").close());
        assertTrue(String.valueOf(e.getCause()).contains("handshake_failure") || e.getMessage().contains("handshake"),
                e + " / " + e.getCause());
        SessionEvent refused = h.await(ev -> ev.type() == SessionEvent.Type.REFUSED && ev.record().refusalReason() == RefusalReason.CLIENT_TLS);
        assertEquals("08P01", refused.record().sqlState());
    }

    private static byte[] readAll(InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            in.transferTo(out);
        } catch (java.net.SocketException reset) {
            // closed by the engine: what arrived is what counts
        }
        return out.toByteArray();
    }
}
