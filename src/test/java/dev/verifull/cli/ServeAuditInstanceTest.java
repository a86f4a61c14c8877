package dev.verifull.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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

/**
 * Several replicas behind one Service write to one log store: each audit record names its
 * instance (the pod name from HOSTNAME, or --instance), and a container sends the records to
 * stdout ({@code --audit-log /dev/stdout}) beside the ready line.
 */
class ServeAuditInstanceTest {
    private static final Pattern READY = Pattern.compile("^verifull: listening on 127\\.0\\.0\\.1:(\\d+), .*");

    @TempDir
    Path dir;

    @Test
    void recordsCarryThePodNameFromHostname() throws Exception {
        List<JsonObject> records = sessionThrough("verifull-gateway-7d9f8-x2k4q");
        for (JsonObject r : records) assertEquals("verifull-gateway-7d9f8-x2k4q", r.get("instance").getAsString(), r.toString());
    }

    @Test
    void instanceOptionWins() throws Exception {
        List<JsonObject> records = sessionThrough("some-host", "--instance", "gw-a");
        for (JsonObject r : records) assertEquals("gw-a", r.get("instance").getAsString(), r.toString());
    }

    /** One psql session through serve; returns its audit records (start, end) read from serve's stdout. */
    private List<JsonObject> sessionThrough(String hostname, String... extra) throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.verifull.Main", "serve",
                "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:" + pg.port(),
                "--upstream-ca", TestCa.shared().caFile().toString(), "--upstream-server-name", "localhost",
                "--audit-log", "/dev/stdout"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("VERIFULL_HOME", dir.resolve("home").toString());
        pb.environment().put("HOSTNAME", hostname);
        Process p = pb.start();
        BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) stdout.add(line);
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            String ready = stdout.poll(60, TimeUnit.SECONDS);
            Matcher m = READY.matcher(ready == null ? "" : ready);
            assertTrue(m.matches(), ready + "\n" + Files.readString(dir.resolve("stderr.txt")));
            Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + m.group(1) + " user=postgres dbname=postgres",
                    "select 1", Duration.ofSeconds(30));
            assertTrue(r.ok(), r.toString());
            List<JsonObject> records = new ArrayList<>();
            while (records.stream().noneMatch(o -> o.get("event").getAsString().equals("session.end"))) {
                String line = stdout.poll(30, TimeUnit.SECONDS);
                assertTrue(line != null, "audit records on stdout: " + records);
                records.add(JsonParser.parseString(line).getAsJsonObject());
            }
            for (JsonObject o : records) {
                List<String> keys = new ArrayList<>(o.keySet());
                assertEquals("instance", keys.get(keys.size() - 1), "instance is the last field: " + o);
            }
            return records;
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
        }
    }
}
