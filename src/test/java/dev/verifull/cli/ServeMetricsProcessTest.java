package dev.verifull.cli;

import static dev.verifull.testing.HttpGet.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.metrics.PrometheusText;
import dev.verifull.testing.HttpGet;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestPki;

/**
 * A real {@code serve --metrics-listen} process, scraped over HTTP while real clients go through
 * it and its PostgreSQL server's certificate is replaced under it (as a rotation gone wrong):
 * first untrusted, then one the CA signed, then untrusted again.
 */
class ServeMetricsProcessTest {
    private static final Pattern READY = Pattern.compile("^verifull: listening on 127\\.0\\.0\\.1:(\\d+), upstream .*");
    private static final Pattern METRICS = Pattern.compile("INFO  \\[serve\\] metrics on http://(127\\.0\\.0\\.1:\\d+)/metrics");

    @TempDir
    Path dir;

    @Test
    void metricsAndReadinessFollowRealSessionsAndTheUpstreamsCertificate() throws Exception {
        Instant now = Instant.now();
        // The configured CA expires in 20 days: a warning, and about 20 in the metrics.
        TestPki.Issued ca = TestPki.ca("Soon Expiring Root", null, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(20)));
        TestPki.Issued good = TestPki.server(ca, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(15)), false, "localhost", "127.0.0.1");
        TestPki.Issued otherCa = TestPki.rootCa("Some Other Root");
        TestPki.Issued untrusted = TestPki.server(otherCa, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300)), false, "localhost", "127.0.0.1");
        Path caFile = ca.writeCertificate(dir.resolve("ca.crt"));
        Path otherCaFile = otherCa.writeCertificate(dir.resolve("other-ca.crt"));

        try (PgServer pg = PgServer.start(17, PgServer.Options.plain().withTls(
                untrusted.writeCertificate(dir.resolve("u.crt")), untrusted.writePkcs8Key(dir.resolve("u.key"))))) {
            Process p = dev.verifull.testing.VerifullProcess.start(dir, "serve", "--listen", "127.0.0.1:0",
                    "--upstream", "127.0.0.1:" + pg.port(), "--upstream-ca", caFile.toString(),
                    "--upstream-server-name", "localhost", "--metrics-listen", "127.0.0.1:0", "--grace", "1");
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String ready = out.readLine();
                Matcher m = READY.matcher(ready == null ? "" : ready);
                assertTrue(m.matches(), "ready line: " + ready + "\n" + stderr());
                int port = Integer.parseInt(m.group(1));
                waitFor(() -> METRICS.matcher(stderr()).find(), "the metrics address on stderr");
                Matcher mm = METRICS.matcher(stderr());
                assertTrue(mm.find());
                String base = "http://" + mm.group(1);

                // Started against a server whose certificate the CA did not sign: said at start, not ready, alive.
                waitFor(() -> stderr().contains("NOT verified (serving anyway: clients are refused until it is)"), "the start line");
                assertEquals(503, get(base + "/readyz").statusCode());
                assertEquals(200, get(base + "/healthz").statusCode());
                assertTrue(stderr().contains("WARN  [serve] The CA certificate O=Verifull Tests,CN=Soon Expiring Root in "
                        + caFile + " expires in 19 days"), stderr());

                // The server gets a certificate the CA signed: a psql session verifies it, and readiness follows.
                replaceCertificate(pg, good, caFile);
                Psql.Result ok = Psql.system().run("host=127.0.0.1 port=" + port + " user=postgres dbname=postgres sslmode=disable "
                        + "application_name=metrics\"client\\", "select 'through'", Duration.ofSeconds(30));
                assertTrue(ok.ok(), ok.toString());
                waitFor(() -> get(base + "/readyz").statusCode() == 200, "/readyz 200 once verified");
                assertTrue(get(base + "/readyz").body().startsWith("ok: the upstream verified at "));

                // Rotated again to the wrong CA: a pgJDBC client is refused, and readiness drops at once.
                replaceCertificate(pg, untrusted, otherCaFile);
                Properties props = new Properties();
                props.setProperty("user", "postgres");
                props.setProperty("sslmode", "disable");
                SQLException refused = assertThrows(SQLException.class,
                        () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props).close());
                assertEquals("08001", refused.getSQLState(), refused.getMessage());
                waitFor(() -> get(base + "/readyz").statusCode() == 503, "/readyz 503 once refused");
                assertTrue(get(base + "/readyz").body().contains("not ready: the upstream is not verified: "), get(base + "/readyz").body());

                // The watch's check after the refusal sees the new server certificate (300 days).
                waitFor(() -> metrics(base).samples("verifull_certificate_expiry_days").stream()
                        .anyMatch(s -> s.labels().get("role").equals("upstream") && s.value() > 299), "the upstream certificate's days");
                HttpGet.Response scrape = get(base + "/metrics");
                assertEquals(200, scrape.statusCode());
                assertTrue(scrape.header("content-type").startsWith("text/plain; version=0.0.4"));
                PrometheusText t = PrometheusText.parse(scrape.body());
                t.checkHistograms();

                assertEquals("gauge", t.type("verifull_sessions_open"));
                assertEquals(0, t.value("verifull_sessions_open"));
                assertEquals(0, t.value("verifull_connections_open"));
                assertEquals("counter", t.type("verifull_sessions_total"));
                assertEquals(1, t.value("verifull_sessions_total", "outcome", "authenticated"));
                assertEquals(1, t.value("verifull_sessions_total", "outcome", "refused"));
                assertEquals(0, t.value("verifull_sessions_total", "outcome", "server_rejected"));
                assertEquals(1, t.value("verifull_sessions_refused_total", "reason", "certificate-untrusted"));
                assertEquals(0, t.value("verifull_sessions_refused_total", "reason", "hostname-mismatch"));
                assertTrue(t.value("verifull_bytes_total", "direction", "from_client") > 0);
                assertTrue(t.value("verifull_bytes_total", "direction", "to_client") > t.value("verifull_bytes_total", "direction", "from_client"),
                        "the server's answers are longer than the query");
                assertEquals("histogram", t.type("verifull_startup_phase_seconds"));
                assertEquals(1, t.value("verifull_startup_phase_seconds_count"), "one session reached the server");
                assertEquals(1, t.value("verifull_upstream_handshake_seconds_count", "result", "verified"));
                assertEquals(1, t.value("verifull_upstream_handshake_seconds_count", "result", "failed"));
                assertTrue(t.value("verifull_upstream_handshake_seconds_sum", "result", "verified") > 0);
                assertEquals(1, t.value("verifull_upstream_verification_failures_total", "kind", "untrusted"));
                assertEquals(0, t.value("verifull_upstream_verification_failures_total", "kind", "hostname_mismatch"));
                assertEquals(0, t.value("verifull_upstream_verified"));
                assertTrue(t.value("verifull_upstream_last_verified_timestamp_seconds") >= now.getEpochSecond());
                double caDays = t.value("verifull_certificate_expiry_days", "role", "ca", "source", caFile.toString());
                assertTrue(caDays > 19.9 && caDays <= 20, "CA days: " + caDays);
                assertEquals("O=Verifull Tests,CN=Soon Expiring Root",
                        t.samples("verifull_certificate_expiry_days").stream().filter(s -> s.labels().get("role").equals("ca"))
                                .findFirst().orElseThrow().labels().get("subject"));
                // What a client chose (its application_name) is no label anywhere.
                assertFalse(t.all().stream().anyMatch(s -> s.labels().values().stream().anyMatch(v -> v.contains("metrics"))),
                        "client strings as labels");

                assertEquals(404, get(base + "/other").statusCode());
                assertEquals(405, HttpGet.request("POST", base + "/metrics").statusCode());
            } finally {
                p.destroy();
                p.waitFor();
            }
        }
    }

    /** The server's certificate and key replaced in its data directory, reloaded, and waited for. */
    private static void replaceCertificate(PgServer pg, TestPki.Issued server, Path itsCa) throws Exception {
        Files.writeString(pg.dataDir().resolve("server.crt"), Files.readString(server.writeCertificate(
                Files.createTempFile(pg.dataDir().getParent(), "crt", ".pem"))));
        Files.writeString(pg.dataDir().resolve("server.key"), Files.readString(server.writePkcs8Key(
                Files.createTempFile(pg.dataDir().getParent(), "key", ".pem"))));
        pg.reload();
        String conninfo = "host=127.0.0.1 port=" + pg.port() + " user=postgres dbname=postgres sslmode=verify-full "
                + "sslrootcert=" + itsCa;
        waitFor(() -> Psql.system().run(conninfo, "select 1", Duration.ofSeconds(10)).ok(), "the server to present the new certificate");
    }


    private PrometheusText metrics(String base) {
        return PrometheusText.parse(get(base + "/metrics").body());
    }

    private String stderr() {
        try {
            return Files.readString(dir.resolve("stderr.txt"));
        } catch (IOException e) {
            return "";
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }
}
