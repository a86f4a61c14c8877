package dev.verifull.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;

/** {@code verifull serve} as a separate process, the way scripts and the benchmark use it. */
class ServeProcessTest {
    private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (ERROR|WARN |INFO |DEBUG) \\[serve\\] ");
    private static final Pattern READY = Pattern.compile("^verifull: listening on 127\\.0\\.0\\.1:(\\d+), upstream .*");

    @TempDir
    Path dir;

    private Process serve(String... args) throws IOException {
        return dev.verifull.testing.VerifullProcess.start(dir, args);
    }

    private String stderrQuietly() {
        try {
            return stderr();
        } catch (IOException e) {
            return "";
        }
    }

    private String stderr() throws IOException {
        // The test class path carries slf4j-api without a binding (from the embedded PostgreSQL
        // library); its warning is not ours. The packaged jar has no SLF4J at all.
        return Files.readString(dir.resolve("stderr.txt")).lines()
                .filter(l -> !l.startsWith("SLF4J:"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    @Test
    void servesPsqlAndDrainsOnSigterm() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        Path audit = dir.resolve("audit.jsonl");
        Process p = serve("serve", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:" + pg.port(),
                "--upstream-ca", TestCa.shared().caFile().toString(), "--upstream-server-name", "localhost",
                "--audit-log", audit.toString(), "--grace", "15");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            Matcher m = READY.matcher(ready == null ? "" : ready);
            assertTrue(m.matches(), "ready line: " + ready + "\nstderr: " + stderr());
            assertTrue(ready.contains("; no TLS offered to clients (--client-tls on offers it);"), ready);
            int port = Integer.parseInt(m.group(1));
            String conninfo = "host=127.0.0.1 port=" + port + " user=postgres dbname=postgres sslmode=prefer application_name=drain";

            Psql.Result r = Psql.system().run(conninfo, "select 'through-serve'", Duration.ofSeconds(30));
            assertTrue(r.ok(), r.toString());
            assertEquals("through-serve", r.out());

            // A client-chosen name cannot forge a stderr line or colour the terminal.
            java.util.Properties props = new java.util.Properties();
            props.setProperty("user", "postgres");
            props.setProperty("password", "");
            props.setProperty("sslmode", "disable");
            props.setProperty("assumeMinServerVersion", "12"); // application_name goes in the startup packet
            props.setProperty("ApplicationName", "\u001b[31mtool\nverifull: serve #999 start who=admin");
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props)) {
                c.createStatement().execute("select 1");
            }
            waitFor(() -> stderrQuietly().contains("\\x1b[31mtool\\nverifull: serve #999 start who=admin"));
            assertTrue(stderr().lines().noneMatch(l -> l.startsWith("verifull: serve #999") || l.contains("\u001b")), stderr());
            // every line a record of its own: time, level, engine
            assertTrue(stderr().lines().allMatch(l -> LOG_LINE.matcher(l).find()), stderr());

            // A query in flight when SIGTERM arrives finishes; the process then exits 0.
            try (Psql.Running slow = Psql.system().start(conninfo, "select pg_sleep(2), 'drained'")) {
                waitFor(() -> pg.queryValue("select count(*) from pg_stat_activity where application_name = 'drain' and state = 'active'").equals("1"));
                // SIGTERM by pid: Process.destroy() would also close our end of its stdout.
                new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
                Psql.Result finished = slow.await(Duration.ofSeconds(30));
                assertTrue(finished.ok() && finished.out().contains("drained"), finished.toString());
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve exits after draining");
            assertEquals(0, p.exitValue(), stderr());
            assertEquals(null, out.readLine(), "exactly one line on stdout");
            String log = stderr();
            assertTrue(log.contains(" start ") && log.contains(" end ") && log.contains("stopping"), log);
            // The installed Linux app and CI relay through io_uring; other systems through NIO.
            String io = System.getProperty("os.name").startsWith("Linux") ? "io_uring" : "nio";
            assertTrue(log.contains("INFO  [serve] I/O " + io + ", "), log);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(audit)), "who connected from where");
            }
            String auditText = Files.readString(audit);
            assertTrue(auditText.contains("\"session.start\"") && auditText.contains("\"session.end\"")
                    && auditText.contains("\"application_name\":\"drain\""), auditText);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void servesASavedProfile() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        int port = dev.verifull.profile.FreePorts.firstFreeFrom(16432, java.util.Set.of());
        dev.verifull.profile.Profile saved = new dev.verifull.profile.Profile("orders-db", "127.0.0.1", pg.port(), "localhost",
                List.of(TestCa.shared().caFile().toString()), false, null, null, false, false, port,
                dev.verifull.profile.Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null, "postgres", "postgres", false, "jdk", 50, 1, 50);
        dev.verifull.profile.ProfileStore.open(dir.resolve("home").resolve("profiles.json")).save(List.of(saved));

        Process missing = serve("serve", "--profile", "nope");
        assertTrue(missing.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, missing.exitValue());
        assertTrue(stderr().contains("no profile named 'nope'") && stderr().contains("orders-db"), stderr());

        // Busy polling on (the profile's "Low latency"): it must change nothing but timing.
        Process p = serve("serve", "--profile", "orders-db");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("verifull: listening on 127.0.0.1:" + port), ready + "\n" + stderr());
            assertTrue(ready.endsWith("; 1 verified upstream connection kept ready per I/O thread"), "the profile's warm count: " + ready);
            assertTrue(stderr().contains(", polling 50 microseconds before sleeping"), "the profile's low latency: " + stderr());
            Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + port + " user=postgres dbname=postgres", "select 'saved'",
                    Duration.ofSeconds(30));
            assertTrue(r.ok(), r.toString());
            assertEquals("saved", r.out());
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), stderr());
            assertTrue(stderr().contains("orders-db #") && stderr().contains("who=" + System.getProperty("user.name")), stderr());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badArgumentsExitWithOneLine() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "this is not a certificate\n");
        String[][] cases = {
                {"serve", "--listen", "127.0.0.1:0"},
                {"serve", "--listen", "nonsense", "--upstream", "db:5432", "--upstream-system-trust"},
                {"serve", "--listen", "127.0.0.1:0", "--upstream", "db:5432"},
                {"serve", "--listen", "127.0.0.1:0", "--upstream", "db:5432", "--upstream-ca", dir.resolve("missing.pem").toString()},
                {"serve", "--listen", "127.0.0.1:0", "--upstream", "db:5432", "--upstream-ca", garbage.toString()},
                {"serve", "--listen", "127.0.0.1:0", "--upstream", "db:5432", "--upstream-system-trust", "--tls-provider", "gnutls"},
                {"serve", "--listen", "127.0.0.1:0", "--upstream", "db:5432", "--upstream-system-trust", "--bogus"},
                {"serve", "--listen", "127.0.0.1:0", "--upstream", "db:5432", "--upstream-system-trust", "--warm-upstreams", "9"},
                {"serve", "--listen", "127.0.0.1:0", "--upstream", "db:5432", "--upstream-system-trust", "--busy-poll-us", "5000"},
        };
        String[] expected = {"--upstream", "nonsense", "--upstream-ca", "missing.pem", "garbage.pem", "gnutls", "--bogus",
                "--warm-upstreams must be 0-8", "--busy-poll-us must be 0-1000"};
        for (int i = 0; i < cases.length; i++) {
            Process p = serve(cases[i]);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String err = stderr().strip();
            assertEquals(2, p.exitValue(), String.join(" ", cases[i]) + " -> " + err);
            assertEquals(1, err.lines().count(), "one line: " + err);
            assertTrue(err.startsWith("verifull: ") && err.contains(expected[i]), err);
            assertEquals("", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "nothing on stdout");
        }
    }

    @Test
    void portInUseExitsWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Process p = serve("serve", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--upstream", "127.0.0.1:5432",
                    "--upstream-ca", TestCa.shared().caFile().toString());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String err = stderr().strip();
            assertEquals(1, p.exitValue(), err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), err);
            assertEquals("", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void versionAndHelp() throws Exception {
        Process v = serve("--version");
        assertTrue(v.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, v.exitValue());
        assertTrue(new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).startsWith("verifull "));
        Process h = serve("serve", "--help");
        assertTrue(h.waitFor(30, TimeUnit.SECONDS));
        String help = new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, h.exitValue());
        assertTrue(help.contains("--upstream-ca") && help.contains("--tls-provider"), help);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 15 s");
            Thread.sleep(20);
        }
    }
}
