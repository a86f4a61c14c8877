package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;

/** Large COPY in both directions with checksums, and 100 concurrent sessions. */
class VolumeTest {
    private static final int ROWS = 170_000; // 170,000 rows x 641 bytes ≈ 109 MB each way
    @TempDir
    static Path dir;
    static PgServer pg;
    static EngineHarness h;

    @BeforeAll
    static void start() throws Exception {
        pg = PgServer.shared(17, PgServer.Options.tls());
        h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    private static Connection viaProxy(String mode) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + h.port() + "/postgres?sslmode=" + mode, "postgres", "");
    }

    private static final String ROW_SQL = "select i, repeat(md5(i::text), 20) from generate_series(1, " + ROWS + ") i";

    @Test
    void copyOutOfMoreThan100MegabytesArrivesIntact() throws Exception {
        String direct;
        try (Connection c = pg.connectAsSuperuser()) {
            direct = copyOutDigest(c);
        }
        long before = h.engine.sessions().size();
        try (Connection c = viaProxy("require")) {
            String proxied = copyOutDigest(c);
            assertEquals(direct, proxied, "the bytes through the proxy equal the bytes from the server");
        }
        SessionEvent end = h.await(e -> e.type() == SessionEvent.Type.END && e.record().bytesToClient() > 100_000_000L);
        assertTrue(end.record().bytesToClient() > 100_000_000L, "counted " + end.record().bytesToClient() + " bytes, before=" + before);
    }

    private static String copyOutDigest(Connection c) throws Exception {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long[] total = {0};
        copy.copyOut("copy (" + ROW_SQL + ") to stdout", new OutputStream() {
            @Override
            public void write(int b) {
                sha.update((byte) b);
                total[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                sha.update(b, off, len);
                total[0] += len;
            }
        });
        assertTrue(total[0] > 100_000_000L, "copied " + total[0] + " bytes");
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * A client that stops reading in the middle of a large COPY holds the server back: Verifull
     * stops reading from the server once the client's connection is full, so what it has taken
     * from the server stays within the sockets' buffers instead of the whole 200 MB result piling
     * up in its memory (a slow or stalled client must cost nothing else).
     */
    @Test
    void aClientThatStopsReadingHoldsBackTheServer() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + h.port()
                + "/postgres?sslmode=disable&assumeMinServerVersion=10&ApplicationName=stalled", "postgres", "")) { // the name in the StartupMessage
            CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("copy (select repeat('x', 1023) from generate_series(1, 200000)) to stdout");
            for (int i = 0; i < 100; i++) copy.readFromCopy(); // the relay is under way
            Thread.sleep(1500); // the client reads nothing from here on
            long stalled = relayedToClient();
            Thread.sleep(1500);
            long later = relayedToClient();
            // What the client's receive buffer and Verifull's send buffer hold (they autotune): 23 MB
            // here; without the hold-back 49 MB after 1.5 s and 121 MB after 3 s.
            assertTrue(stalled < 64_000_000L, "relayed " + stalled + " bytes of 200 MB to a client that stopped reading");
            assertTrue(later - stalled < 1_000_000L, "kept relaying while the client read nothing: " + stalled + " → " + later);
            copy.cancelCopy();
        }
    }

    /** Bytes relayed server → client so far in the stalled client's session. */
    private static long relayedToClient() {
        List<SessionRecord> live = h.engine.sessions().stream().filter(r -> "stalled".equals(r.applicationName())).toList();
        assertEquals(1, live.size(), "the stalled client's session is live");
        return live.get(0).bytesToClient();
    }

    @Test
    void copyInOfMoreThan100MegabytesArrivesIntact() throws Exception {
        MessageDigest expected = MessageDigest.getInstance("MD5");
        try (Connection c = viaProxy("disable"); Statement s = c.createStatement()) {
            s.execute("create temp table t (id int, line text)");
            long copied = c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy t from stdin", new GeneratedRows(expected));
            assertEquals(ROWS, copied);
            // Server-side checksum of what arrived, in the same order the client sent it.
            try (ResultSet rs = s.executeQuery("select md5(string_agg(id || E'\\t' || line || E'\\n', '' order by id)) from t")) {
                assertTrue(rs.next());
                assertEquals(HexFormat.of().formatHex(expected.digest()), rs.getString(1));
            }
        }
    }

    /** Streams ROWS deterministic rows without holding 100 MB in memory, hashing what it emits. */
    private static final class GeneratedRows extends InputStream {
        private final MessageDigest md5;
        private final MessageDigest rowMd5;
        private int next = 1;
        private byte[] current = new byte[0];
        private int pos;

        GeneratedRows(MessageDigest md5) throws Exception {
            this.md5 = md5;
            this.rowMd5 = MessageDigest.getInstance("MD5");
        }

        private boolean fill() {
            if (pos < current.length) return true;
            if (next > ROWS) return false;
            String hex = HexFormat.of().formatHex(rowMd5.digest(Integer.toString(next).getBytes(StandardCharsets.US_ASCII)));
            current = (next + "\t" + hex.repeat(20) + "\n").getBytes(StandardCharsets.US_ASCII);
            md5.update(current);
            pos = 0;
            next++;
            return true;
        }

        @Override
        public int read() {
            return fill() ? current[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!fill()) return -1;
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void hundredConcurrentSessions() throws Exception {
        int n = 100;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch allConnected = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                results.add(pool.submit(() -> {
                    try (Connection c = viaProxy(id % 2 == 0 ? "disable" : "require");
                         Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("select " + id + " + pg_backend_pid() * 0")) {
                        allConnected.countDown();
                        release.await(60, TimeUnit.SECONDS);
                        rs.next();
                        return rs.getInt(1);
                    }
                }));
            }
            if (!allConnected.await(60, TimeUnit.SECONDS)) {
                StringBuilder why = new StringBuilder();
                for (Future<Integer> f : results) {
                    if (f.isDone()) {
                        try {
                            f.get();
                        } catch (Exception e) {
                            why.append('\n').append(e.getCause());
                        }
                    }
                }
                throw new AssertionError("only " + (n - allConnected.getCount()) + " of " + n + " sessions connected; "
                        + "engine sees " + h.engine.sessions().size() + " live; failures:" + why);
            }
            assertEquals(n, h.engine.sessions().size(), "the engine sees 100 live sessions");
            release.countDown();
            for (int i = 0; i < n; i++) assertEquals(i, results.get(i).get(60, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
