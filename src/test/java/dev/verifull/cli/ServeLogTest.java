package dev.verifull.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import dev.verifull.testing.VerifullProcess;

/** {@code serve}'s diagnostic log as a separate process writes it: formats, levels, options from the environment. */
class ServeLogTest {
    private static final Pattern READY = Pattern.compile("^verifull: listening on 127\\.0\\.0\\.1:(\\d+), upstream .*");
    /** A user name that tries to start a record of its own and colour the terminal. */
    private static final String HOSTILE = "mallory\n{\"time\":\"2026-01-01T00:00:00.000Z\",\"level\":\"ERROR\",\"message\":\"forged\"}\u001b[31m";

    @TempDir
    Path dir;

    private List<String> stderrLines() throws IOException {
        // slf4j-api without a binding is on the test class path (from the embedded PostgreSQL library), not in the jar
        return Files.readString(dir.resolve("stderr.txt")).lines().filter(l -> !l.startsWith("SLF4J:")).toList();
    }

    private static int port(Process p) throws IOException {
        String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        Matcher m = READY.matcher(ready == null ? "" : ready);
        assertTrue(m.matches(), "ready line: " + ready);
        return Integer.parseInt(m.group(1));
    }

    private static void connectAs(int port, String user) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", "x");
        props.setProperty("sslmode", "disable");
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props)) {
            c.createStatement().execute("select 1");
        } catch (SQLException expected) {
            // no such role: the server refuses it, which is what gets logged
        }
    }

    private static void stop(Process p) throws Exception {
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits on SIGTERM");
        assertEquals(0, p.exitValue());
    }

    @Test
    void jsonLinesStayValidForHostileNames() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        Process p = VerifullProcess.start(dir, "serve", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:" + pg.port(),
                "--upstream-ca", TestCa.shared().caFile().toString(), "--upstream-server-name", "localhost",
                "--name", "orders\u001b[2J", "--log-format", "json", "--log-level", "debug");
        try {
            int port = port(p);
            connectAs(port, HOSTILE);
            stop(p);
            List<String> lines = stderrLines();
            assertFalse(lines.isEmpty());
            boolean sawHostile = false;
            for (String line : lines) {
                assertFalse(line.contains("\u001b"), "no terminal escape: " + line);
                JsonObject o = JsonParser.parseString(line).getAsJsonObject(); // throws for a line that is not one object
                for (String key : List.of("time", "level", "logger", "profile", "message")) assertTrue(o.has(key), key + " in " + line);
                assertTrue(o.get("time").getAsString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), line);
                assertTrue(List.of("ERROR", "WARN", "INFO", "DEBUG").contains(o.get("level").getAsString()), line);
                assertEquals("orders\\x1b[2J", o.get("profile").getAsString(), line);
                String message = o.get("message").getAsString();
                if (message.contains("user=")) {
                    sawHostile |= message.contains("user=mallory\\n{\"time\":\"2026-01-01T00:00:00.000Z\",\"level\":\"ERROR\",\"message\":\"forged\"}\\x1b[31m");
                }
                assertFalse(o.get("level").getAsString().equals("ERROR") && message.equals("forged"), "a forged record: " + line);
            }
            assertTrue(sawHostile, "the session line names the user, escaped: " + lines);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"logger\":\"dev.verifull.cli.ServeCommand\"") && l.contains("I/O ")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"level\":\"DEBUG\"") && l.contains("settings: upstream 127.0.0.1:")),
                    "debug lines at --log-level debug: " + lines);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void warnLevelLeavesOutInfoLines() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        Process p = VerifullProcess.start(dir, "serve", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:" + pg.port(),
                "--upstream-ca", TestCa.shared().caFile().toString(), "--upstream-server-name", "localhost", "--log-level", "warn");
        try {
            int port = port(p);
            Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + port + " user=postgres dbname=postgres", "select 1",
                    Duration.ofSeconds(30));
            assertTrue(r.ok(), r.toString());
            stop(p);
            assertEquals(List.of(), stderrLines(), "no session, I/O or stopping lines at warn");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void servesWithItsOptionsFromTheEnvironmentOnly() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        Path audit = dir.resolve("audit.jsonl");
        Process p = VerifullProcess.startWithEnvironment(dir, Map.of(
                "VERIFULL_LISTEN", "127.0.0.1:0",
                "VERIFULL_UPSTREAM", "127.0.0.1:" + pg.port(),
                "VERIFULL_UPSTREAM_CA", TestCa.shared().caFile().toString(),
                "VERIFULL_UPSTREAM_SERVER_NAME", "localhost",
                "VERIFULL_AUDIT_LOG", audit.toString(),
                "VERIFULL_NAME", "from-env",
                "VERIFULL_CLIENT_TLS", "off"), "serve");
        try {
            int port = port(p);
            Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + port + " user=postgres dbname=postgres application_name=env",
                    "select 'from the environment'", Duration.ofSeconds(30));
            assertTrue(r.ok(), r.toString());
            assertEquals("from the environment", r.out());
            stop(p);
            String err = String.join("\n", stderrLines());
            assertTrue(err.contains("INFO  [from-env] options from the environment: VERIFULL_LISTEN, "), err);
            assertTrue(err.contains("[from-env] from-env #"), err);
            assertTrue(Files.readString(audit).contains("\"application_name\":\"env\""), "the audit log the variable named");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theCommandLineWinsOverTheEnvironment() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        Process p = VerifullProcess.startWithEnvironment(dir, Map.of(
                "VERIFULL_UPSTREAM", "127.0.0.1:" + pg.port(),
                "VERIFULL_UPSTREAM_CA", TestCa.shared().caFile().toString(),
                "VERIFULL_UPSTREAM_SERVER_NAME", "localhost",
                "VERIFULL_NAME", "from-env",
                "VERIFULL_LOG_FORMAT", "json"),
                "serve", "--listen", "127.0.0.1:0", "--name", "from-cli", "--log-format", "text");
        try {
            port(p);
            stop(p);
            List<String> lines = stderrLines();
            assertTrue(!lines.isEmpty() && lines.stream().allMatch(l -> l.contains(" [from-cli] ")), "text lines, named from the command line: " + lines);
        } finally {
            p.destroyForcibly();
        }
    }
}
