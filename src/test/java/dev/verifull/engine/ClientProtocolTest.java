package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;
import dev.verifull.wire.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Bad or unusual client input against a real upstream: each gets a clear ErrorResponse (or the
 * documented silent answer), a session record, and costs nothing else.
 */
class ClientProtocolTest {
    @TempDir
    static Path dir;
    static PgServer pg;
    static EngineHarness h;

    @BeforeAll
    static void start() throws Exception {
        pg = PgServer.shared(17, PgServer.Options.tls());
        h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).maxSessions(3)
                .handshakeTimeout(Duration.ofSeconds(2)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    @Test
    void bytesSmuggledAfterSslRequestAreRefused() throws Exception {
        byte[] ssl = {0, 0, 0, 8, 4, (byte) 210, 22, 47};
        byte[] startup = startup(Map.of("user", "postgres", "database", "postgres"));
        String answer = exchange(concat(ssl, startup));
        assertTrue(answer.startsWith("E") && answer.contains("08P01")
                && answer.contains("verifull: unencrypted data received after the SSLRequest"), answer);
        SessionEvent e = h.await(ev -> ev.type() == SessionEvent.Type.REFUSED
                && ev.record().refusalReason() == RefusalReason.CLIENT_PROTOCOL);
        assertTrue(e.record().message().contains("after the SSLRequest"));
    }

    @Test
    void garbageIsAProtocolViolation() throws Exception {
        byte[] garbage = new byte[64];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0; // a plausible length prefix, then nonsense
        garbage[1] = 0;
        garbage[2] = 0;
        garbage[3] = 64;
        String answer = exchange(garbage);
        assertTrue(answer.startsWith("E") && answer.contains("08P01") && answer.contains("verifull: invalid startup packet"), answer);
    }

    @Test
    void httpRequestIsAProtocolViolation() throws Exception {
        String answer = exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(answer.startsWith("E") && answer.contains("verifull: invalid startup packet"), answer);
    }

    @Test
    void oversizedStartupPacketIsRefusedWithoutReadingIt() throws Exception {
        byte[] header = ByteBuffer.allocate(8).putInt(1_000_000).putInt(196608).array();
        String answer = exchange(header);
        assertTrue(answer.contains("08P01") && answer.contains("exceeds"), answer);
    }

    @Test
    void slowClientTimesOut() throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(new byte[] {0, 0, 0}); // part of a length, then nothing
            String answer = readAll(s.getInputStream());
            assertTrue(answer.contains("08P01") && answer.contains("no complete startup message within 2 s"), answer);
        }
        assertEquals(RefusalReason.CLIENT_TIMEOUT, h.await(ev -> ev.record().refusalReason() == RefusalReason.CLIENT_TIMEOUT)
                .record().refusalReason());
    }

    @Test
    void truncatedStartupThenCloseIsRecordedAsAbandoned() throws Exception {
        byte[] startup = startup(Map.of("user", "truncated-user"));
        try (Socket s = new Socket("127.0.0.1", h.port())) {
            s.getOutputStream().write(startup, 0, startup.length - 3);
        }
        SessionEvent e = h.await(ev -> ev.type() == SessionEvent.Type.END && ev.record().outcome() == Outcome.ABANDONED);
        assertEquals(Outcome.ABANDONED, e.record().outcome());
    }

    @Test
    void gssEncRequestIsAnsweredNoThenStartupWorks() throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(new byte[] {0, 0, 0, 8, 4, (byte) 210, 22, 48});
            assertEquals('N', s.getInputStream().read());
            s.getOutputStream().write(startup(Map.of("user", "postgres", "database", "postgres")));
            // AuthenticationOk ('R', length 8, code 0) from the real server, through the proxy.
            byte[] first = s.getInputStream().readNBytes(9);
            assertEquals('R', first[0]);
            assertEquals(0, ByteBuffer.wrap(first, 5, 4).getInt());
        }
        SessionEvent started = h.await(ev -> ev.type() == SessionEvent.Type.START && "postgres".equals(ev.record().user())
                && ev.record().clientTransport() == ClientTransport.PLAINTEXT);
        assertEquals("17", pg.serverVersion().split("\\.")[0]);
        assertTrue(started.record().upstreamTlsProtocol().startsWith("TLSv1."));
    }

    @Test
    void sessionLimitGivesTooManyConnections() throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) held.add(DriverManager.getConnection(url(), "postgres", ""));
            SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url(), "postgres", "").close());
            assertEquals("53300", e.getSQLState());
            assertTrue(e.getMessage().contains("verifull: too many sessions"), e.getMessage());
        } finally {
            for (Connection c : held) c.close();
        }
        // The slots come back once the sessions end.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!h.engine.sessions().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        try (Connection c = DriverManager.getConnection(url(), "postgres", "")) {
            assertTrue(c.isValid(5));
        }
    }

    @Test
    void aLiveSessionCanBeEndedFromOutside() throws Exception {
        try (Connection c = DriverManager.getConnection(url() + "&ApplicationName=to-be-ended&assumeMinServerVersion=12", "postgres", "")) {
            SessionEvent start = h.await(ev -> ev.type() == SessionEvent.Type.START && "to-be-ended".equals(ev.record().applicationName()));
            assertTrue(h.engine.endSession(start.record().id()));
            SessionEvent end = h.await(ev -> ev.type() == SessionEvent.Type.END && ev.record().id() == start.record().id());
            assertEquals("ended by Verifull", end.record().endReason());
            assertEquals(false, c.isValid(5));
        }
    }

    @Test
    void unknownCancelKeyIsDroppedSilently() throws Exception {
        byte[] cancel = ByteBuffer.allocate(16).putInt(16).putInt(80877102).putInt(4242).putInt(1234).array();
        try (Socket s = new Socket("127.0.0.1", h.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(cancel);
            assertEquals(-1, s.getInputStream().read(), "no answer to a cancel request, just a close");
        }
        SessionEvent e = h.await(ev -> "cancel".equals(ev.record().kind()));
        assertEquals(Outcome.CANCEL_IGNORED, e.record().outcome());
    }

    private static String url() {
        return "jdbc:postgresql://127.0.0.1:" + h.port() + "/postgres?sslmode=disable";
    }

    static byte[] startup(Map<String, String> params) {
        ByteBuf b = StartupMessage.of(StartupMessage.PROTOCOL_3_0, new java.util.LinkedHashMap<>(params))
                .encode(ByteBufAllocator.DEFAULT);
        try {
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    private static String exchange(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", h.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            return readAll(s.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            in.transferTo(out);
        } catch (java.net.SocketException reset) {
            // closed by the proxy after the error: what we read is what counts
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
