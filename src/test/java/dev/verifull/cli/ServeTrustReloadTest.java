package dev.verifull.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestPki;
import dev.verifull.testing.VerifullProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -HUP} makes a running serve load its upstream CA file again: a file that does not
 * parse is refused loudly on stderr and the last good CA stays; a good one is used from then on,
 * without a restart and while a session stays open.
 */
class ServeTrustReloadTest {
    private static final Pattern READY = Pattern.compile("^verifull: listening on 127\\.0\\.0\\.1:(\\d+), upstream .*");
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void sighupReloadsTheCaFileAndKeepsTheLastGoodOneWhenItIsBroken() throws Exception {
        TestPki.Issued oldCa = TestPki.rootCa("Old Root");
        TestPki.Issued oldServer = TestPki.server(oldCa, "localhost", "127.0.0.1");
        Path caFile = oldCa.writeCertificate(dir.resolve("upstream-ca.pem"));
        PgServer.Options tls = PgServer.Options.tls().withTls(oldServer.writeCertificate(dir.resolve("old.crt")),
                oldServer.writePkcs8Key(dir.resolve("old.key")));
        try (PgServer pg = PgServer.start(17, tls)) {
            Process p = VerifullProcess.start(dir, "serve", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:" + pg.port(),
                    "--upstream-ca", caFile.toString(), "--upstream-server-name", "localhost", "--grace", "0");
            try {
                String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
                Matcher m = READY.matcher(ready == null ? "" : ready);
                assertTrue(m.matches(), ready + "\n" + stderr());
                String conninfo = "host=127.0.0.1 port=" + m.group(1) + " user=postgres dbname=postgres sslmode=disable";
                try (Psql.Running live = Psql.system().start(conninfo, "select pg_sleep(30)")) {
                    assertTrue(Psql.system().run(conninfo, "select 1", T).ok());

                    // Garbage, then SIGHUP: refused loudly, the old CA stays in use.
                    Files.writeString(caFile, "garbage\n");
                    signalHup(p);
                    awaitStderr("WARN  [serve] upstream trust NOT reloaded (SIGHUP)");
                    Psql.Result stillOld = Psql.system().run(conninfo, "select 'old-ca'", T);
                    assertTrue(stillOld.ok() && stillOld.out().equals("old-ca"), stillOld.toString());

                    // The server rotates to a new CA; the new CA file and SIGHUP follow.
                    TestPki.Issued newCa = TestPki.rootCa("New Root");
                    TestPki.Issued newServer = TestPki.server(newCa, "localhost", "127.0.0.1");
                    writePrivate(pg.dataDir().resolve("server.crt"), newServer.writeCertificate(dir.resolve("new.crt")));
                    writePrivate(pg.dataDir().resolve("server.key"), newServer.writePkcs8Key(dir.resolve("new.key")));
                    pg.reload();
                    Files.writeString(caFile, Files.readString(newCa.writeCertificate(dir.resolve("new-ca.pem"))));
                    signalHup(p);
                    awaitStderr("upstream trust reloaded (SIGHUP)");
                    Psql.Result fresh = Psql.system().run(conninfo, "select 'new-ca'", T);
                    assertTrue(fresh.ok() && fresh.out().equals("new-ca"), fresh.toString() + "\n" + stderr());
                    assertTrue(live.isAlive(), "the session open during the reloads was dropped");
                }
                assertTrue(p.isAlive(), "serve exited on SIGHUP:\n" + stderr());
            } finally {
                p.destroy();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            assertFalse(stderr().contains("Exception"), stderr());
            assertFalse(stderr().contains("SIGHUP is ignored"), stderr());
        }
    }

    /** Under nohup the JVM leaves SIGHUP ignored: serve says that kill -HUP will not reload. */
    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void underNohupServeSaysThatSighupWillNotReload() throws Exception {
        Path caFile = TestPki.rootCa("Some Root").writeCertificate(dir.resolve("upstream-ca.pem"));
        Process p = VerifullProcess.startUnderNohup(dir, "serve", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:9",
                "--upstream-ca", caFile.toString(), "--upstream-server-name", "localhost", "--grace", "0");
        try {
            String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(READY.matcher(ready == null ? "" : ready).matches(), ready + "\n" + stderr());
            awaitStderr("WARN  [serve] SIGHUP is ignored by this process (started under nohup?)");
            signalHup(p);
            Thread.sleep(500);
            assertTrue(p.isAlive(), "serve survives SIGHUP under nohup:\n" + stderr());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
    }

    private static void signalHup(Process p) throws Exception {
        new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    private void awaitStderr(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (stderr().contains(text)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("no \"" + text + "\" on stderr:\n" + stderr());
    }

    private String stderr() throws Exception {
        return Files.readString(dir.resolve("stderr.txt"));
    }

    private static void writePrivate(Path target, Path source) throws Exception {
        Files.write(target, Files.readAllBytes(source));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    }
}
