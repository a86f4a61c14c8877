package dev.verifull.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.tailscale.FakeLocalApi;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;

/** {@code verifull serve --identity tailscale} as a process, against the fake tailscaled. */
class ServeTailnetProcessTest {
    private static final Pattern READY = Pattern.compile(
            "^verifull: listening on 127\\.0\\.0\\.2:(\\d+), upstream .*; identity tailscale, allowed: users alice@example.com$");

    @TempDir
    Path dir;

    private Process serve(String... args) throws IOException {
        // The fake tailscaled's addresses are loopback ones: allowed for this process only.
        return dev.verifull.testing.VerifullProcess.start(dir, List.of(FakeLocalApi.ADDRESS_RANGES_OPTION), args);
    }

    private String stderr() throws IOException {
        Path f = dir.resolve("stderr.txt");
        if (!Files.exists(f)) return "";
        return Files.readString(f).lines().filter(l -> !l.startsWith("SLF4J:")).collect(Collectors.joining("\n"));
    }

    @Test
    void waitsForTailscaleThenServesTheTailnetWithIdentities() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        int port = freePort();
        Path audit = dir.resolve("audit.jsonl");
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir.resolve("tailscaled")).state("Stopped")) {
            Process p = serve("serve", "--identity", "tailscale", "--tailscale-socket", fake.socketPath().toString(),
                    "--port", Integer.toString(port), "--allow-user", "alice@example.com", "--name", "orders",
                    "--upstream", "127.0.0.1:" + pg.port(), "--upstream-ca", TestCa.shared().caFile().toString(),
                    "--upstream-server-name", "localhost", "--audit-log", audit.toString(), "--client-tls", "on");
            try {
                waitFor(() -> stderrContains("] waiting for Tailscale (state: Stopped)"));
                assertThrows(IOException.class, () -> new java.net.Socket(FakeLocalApi.SELF_IP, port).close(), "not listening yet");

                fake.state("Running");
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String ready = out.readLine();
                Matcher m = READY.matcher(ready == null ? "" : ready);
                assertTrue(m.matches(), "ready line: " + ready + "\nstderr: " + stderr());
                assertEquals(port, Integer.parseInt(m.group(1)));

                try (Connection c = connect(port, FakeLocalApi.ALICE_IP); ResultSet rs = c.createStatement().executeQuery("select 'alice in'")) {
                    assertTrue(rs.next());
                    assertEquals("alice in", rs.getString(1));
                }
                SQLException denied = assertThrows(SQLException.class, () -> connect(port, FakeLocalApi.TAGGED_IP).close());
                assertEquals("28000", denied.getSQLState());
                assertTrue(denied.getMessage().contains("verifull: access denied: tag:ci on " + FakeLocalApi.TAGGED_MACHINE
                        + " may not use profile 'orders'"), denied.getMessage());

                fake.selfAddresses(FakeLocalApi.SELF_IP, "0.0.0.0");
                waitFor(() -> stderrContains("WARN  [orders] not listening on 0.0.0.0: Tailscale's status lists it, but it is not"
                        + " a Tailscale address (100.64.0.0/10, fd7a:115c:a1e0::/48)"));

                new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve exits on SIGTERM");
                assertEquals(0, p.exitValue(), stderr());
                assertEquals(null, out.readLine(), "exactly one line on stdout");
                String log = stderr();
                assertTrue(log.contains(" start client=127.0.0.3:") && log.contains("who=alice@example.com machine=" + FakeLocalApi.ALICE_MACHINE), log);
                assertTrue(log.contains(" refused client=127.0.0.4:") && log.contains("who=tag:ci") && log.contains("reason=access-denied"), log);
                String auditText = Files.readString(audit);
                assertTrue(auditText.contains("\"tailscale_login\":\"alice@example.com\"")
                        && auditText.contains("\"access\":\"allowed: user alice@example.com\"")
                        && auditText.contains("\"access\":\"denied: no rule matches tags tag:ci for profile 'orders'\""), auditText);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aTailnetPortInUseEndsTheCommand() throws Exception {
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir.resolve("tailscaled"));
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(FakeLocalApi.SELF_IP))) {
            Process p = serve("serve", "--identity", "tailscale", "--tailscale-socket", fake.socketPath().toString(),
                    "--port", Integer.toString(taken.getLocalPort()), "--upstream", "127.0.0.1:5432",
                    "--upstream-ca", TestCa.shared().caFile().toString());
            try {
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits");
                String err = stderr();
                assertEquals(1, p.exitValue(), err);
                assertTrue(err.contains("ERROR [serve] cannot listen on 127.0.0.2:" + taken.getLocalPort() + ": "), err);
                assertEquals("", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "never ready");
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void identityOptionsAreChecked() throws Exception {
        String[] upstream = {"--upstream", "db:5432", "--upstream-system-trust"};
        String[][] cases = {
                {"serve", "--identity", "kerberos"},
                {"serve"},
                {"serve", "--listen", "127.0.0.1:0", "--allow-user", "alice@example.com"},
                {"serve", "--listen", "127.0.0.1:0", "--tailscale-socket", "/tmp/x.sock"},
                {"serve", "--identity", "tailscale", "--listen", "127.0.0.1:0", "--port", "5432"},
                {"serve", "--identity", "tailscale", "--allow-user", "alice"},
                {"serve", "--identity", "local", "--listen", "0.0.0.0:0"},
        };
        String[] expected = {"kerberos", "--identity tailscale", "--allow-user", "--tailscale-socket", "--port", "alice",
                "loopback only"};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of(cases[i]));
            args.addAll(List.of(upstream));
            Process p = serve(args.toArray(String[]::new));
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String err = stderr().strip();
            assertEquals(2, p.exitValue(), args + " -> " + err);
            assertEquals(1, err.lines().count(), "one line: " + err);
            assertTrue(err.startsWith("verifull: ") && err.contains(expected[i]), err);
            assertEquals("", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "nothing on stdout");
        }
    }

    private boolean stderrContains(String text) {
        try {
            return stderr().contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static Connection connect(int port, String from) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("sslmode", "require");
        p.setProperty("localSocketAddress", from);
        p.setProperty("assumeMinServerVersion", "12");
        return DriverManager.getConnection("jdbc:postgresql://" + FakeLocalApi.SELF_IP + ":" + port + "/postgres", p);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(FakeLocalApi.SELF_IP))) {
            return s.getLocalPort();
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 30 s");
            Thread.sleep(50);
        }
    }
}
