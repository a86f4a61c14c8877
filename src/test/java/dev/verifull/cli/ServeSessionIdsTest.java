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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.verifull.audit.AuditEvent;
import dev.verifull.audit.AuditReader;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import dev.verifull.testing.VerifullProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two serve processes at once, then one restarted, all writing one audit file: no two sessions
 * share an id (ids used to start again at 1 in every process).
 */
class ServeSessionIdsTest {
    private static final Pattern READY = Pattern.compile("^verifull: listening on 127\\.0\\.0\\.1:(\\d+), upstream .*");
    private static final Pattern ID = Pattern.compile("[0-9a-z]{6}-\\d+");

    @TempDir
    Path dir;

    private record Serve(Process process, int port) {}

    private Serve serve(String name, Path audit) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        Process p = VerifullProcess.start(d, "serve", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:" + pg.port(),
                "--upstream-ca", TestCa.shared().caFile().toString(), "--upstream-server-name", "localhost",
                "--audit-log", audit.toString(), "--grace", "0");
        String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        Matcher m = READY.matcher(ready == null ? "" : ready);
        assertTrue(m.matches(), ready + "\n" + Files.readString(d.resolve("stderr.txt")));
        return new Serve(p, Integer.parseInt(m.group(1)));
    }

    private static void sessions(Serve s, int n) {
        for (int i = 0; i < n; i++) {
            Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + s.port() + " user=postgres dbname=postgres sslmode=disable",
                    "select 1", Duration.ofSeconds(30));
            assertTrue(r.ok(), r.toString());
        }
    }

    private static void stop(Serve s) throws InterruptedException {
        s.process().destroy(); // SIGTERM: a graceful stop that flushes the audit log
        assertTrue(s.process().waitFor(30, TimeUnit.SECONDS));
    }

    @Test
    void twoInstancesAndARestartNeverShareASessionId() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        Serve a = serve("a", audit);
        Serve b = serve("b", audit);
        try {
            sessions(a, 3);
            sessions(b, 3);
        } finally {
            stop(a);
            stop(b);
        }
        Serve restarted = serve("a-again", audit);
        try {
            sessions(restarted, 3);
        } finally {
            stop(restarted);
        }

        List<String> ids = new ArrayList<>();
        for (AuditEvent e : AuditReader.read(audit, AuditReader.Order.OLDEST_FIRST).events()) {
            if (e.event().equals(AuditEvent.SESSION_START)) ids.add(e.sessionId());
        }
        assertEquals(9, ids.size(), ids.toString());
        Set<String> unique = new HashSet<>(ids);
        assertEquals(ids.size(), unique.size(), "session ids repeat: " + ids);
        for (String id : ids) assertTrue(ID.matcher(id).matches(), id);
        Set<String> prefixes = new HashSet<>();
        for (String id : ids) prefixes.add(id.substring(0, id.indexOf('-')));
        assertEquals(3, prefixes.size(), "one prefix per process: " + ids);
    }
}
