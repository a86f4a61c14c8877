package dev.verifull.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import dev.verifull.testing.VerifullProcess;

/**
 * Netty's JFR events for its buffer allocator stay off in {@code serve} (setting them up cost
 * about 0.3 s before the ready line), unless asked for with {@code -Dio.netty.jfr.enabled=true}.
 * Read from the JVM's own class-loading log of a serve that relayed a query.
 */
class NettyJfrEventsTest {
    private static final Pattern READY = Pattern.compile("^verifull: listening on 127\\.0\\.0\\.1:(\\d+), .*");
    /** Loaded only when Netty registers its allocator's JFR events. */
    private static final String EVENT = "io.netty.buffer.AllocateChunkEvent ";

    @TempDir
    Path dir;

    @Test
    void serveDoesNotSetUpNettysJfrEvents() throws Exception {
        String classes = classesLoadedByServe("off", List.of());
        assertTrue(classes.contains("io.netty.buffer."), "the log covers Netty's buffers");
        assertFalse(classes.contains(EVENT), "Netty's JFR events were set up");
    }

    @Test
    void aCommandLineValueStillWins() throws Exception {
        String classes = classesLoadedByServe("on", List.of("-Dio.netty.jfr.enabled=true"));
        assertTrue(classes.contains(EVENT), "-Dio.netty.jfr.enabled=true brings the events back");
    }

    private String classesLoadedByServe(String name, List<String> jvmOptions) throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        Path run = Files.createDirectories(dir.resolve(name));
        Path log = run.resolve("classes.txt");
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Xlog:class+load=info:file=" + log);
        Process p = VerifullProcess.start(run, options, "serve", "--listen", "127.0.0.1:0",
                "--upstream", "127.0.0.1:" + pg.port(), "--upstream-ca", TestCa.shared().caFile().toString(),
                "--upstream-server-name", "localhost");
        try {
            String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            Matcher m = READY.matcher(ready == null ? "" : ready);
            assertTrue(m.matches(), "ready line: " + ready + "\n" + stderr(run));
            Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + m.group(1) + " user=postgres dbname=postgres",
                    "select 'relayed'", Duration.ofSeconds(30));
            assertTrue(r.ok(), r.toString());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve stops");
        }
        return Files.readString(log);
    }

    private static String stderr(Path run) throws IOException {
        return Files.readString(run.resolve("stderr.txt"));
    }
}
