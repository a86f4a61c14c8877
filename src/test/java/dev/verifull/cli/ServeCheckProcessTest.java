package dev.verifull.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;
import dev.verifull.testing.TestPki;

/** {@code serve --check} against a real TLS PostgreSQL, as a script or a start-up probe runs it. */
class ServeCheckProcessTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private Run check(String... args) throws Exception {
        Process p = dev.verifull.testing.VerifullProcess.start(dir, args);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "check ends");
        return new Run(p.exitValue(), out, Files.readString(dir.resolve("stderr.txt")));
    }

    @Test
    void exitsZeroWhenVerifiedAndPrintsTheChain() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        Run r = check("serve", "--check", "--upstream", "127.0.0.1:" + pg.port(),
                "--upstream-ca", TestCa.shared().caFile().toString(), "--upstream-server-name", "localhost");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("verifull: upstream 127.0.0.1:" + pg.port() + " (name localhost) verified: TLSv1."), r.out());
        assertTrue(r.out().contains("  certificate 0: subject O=Verifull Tests,CN=localhost\n    issuer O=Verifull Tests,CN=Verifull Test Root\n"
                + "    valid until "), r.out());
        assertTrue(r.out().contains("  trusted CA: O=Verifull Tests,CN=Verifull Test Root"), r.out());
        assertTrue(!r.out().contains("listening"), "listens nowhere: " + r.out());
    }

    @Test
    void exitsOneWithAWrongCaOrAWrongNameAndSaysWhy() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        Run wrongCa = check("serve", "--check", "--upstream", "127.0.0.1:" + pg.port(),
                "--upstream-ca", TestCa.create().caFile().toString(), "--upstream-server-name", "localhost");
        assertEquals(1, wrongCa.exit(), wrongCa.toString());
        assertTrue(wrongCa.out().contains("NOT verified: Certificate not trusted"), wrongCa.out());
        assertTrue(wrongCa.out().contains("  certificate 0: subject O=Verifull Tests,CN=localhost"), "the chain the server sent: " + wrongCa.out());
        assertTrue(wrongCa.err().contains("verifull: hint: "), wrongCa.err());

        Run wrongName = check("serve", "--check", "--upstream", "127.0.0.1:" + pg.port(),
                "--upstream-ca", TestCa.shared().caFile().toString(), "--upstream-server-name", "db.example.com");
        assertEquals(1, wrongName.exit(), wrongName.toString());
        assertTrue(wrongName.out().contains("NOT verified: "), wrongName.out());
    }

    @Test
    void exitsTwoForBadOptions() throws Exception {
        Run r = check("serve", "--check", "--upstream-ca", TestCa.shared().caFile().toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--upstream"), r.err());
    }

    /** What the server chose to write in its certificate cannot colour a terminal or forge a line; a leaf near its end is warned about. */
    @Test
    void escapesTheChainAndWarnsOfAnExpiringCertificate() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued ca = TestPki.rootCa("Escape Root");
        TestPki.Issued leaf = TestPki.serverNamed(ca, "evil\u001b[31m\nverifull: upstream verified", "localhost");
        TestPki.Issued soon = TestPki.server(ca, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)), false, "localhost");
        Path caFile = ca.writeCertificate(dir.resolve("ca.crt"));
        try (PgServer pg = PgServer.start(17, PgServer.Options.plain().withTls(leaf.writeCertificate(dir.resolve("l.crt")),
                leaf.writePkcs8Key(dir.resolve("l.key"))))) {
            Run r = check("serve", "--check", "--upstream", "127.0.0.1:" + pg.port(), "--upstream-ca", caFile.toString(),
                    "--upstream-server-name", "localhost");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(!r.out().contains("\u001b") && r.out().lines().noneMatch(l -> l.equals("verifull: upstream verified")), r.out());
            assertTrue(r.out().contains("\\x1b[31m\\nverifull: upstream verified"), r.out());
        }
        try (PgServer pg = PgServer.start(17, PgServer.Options.plain().withTls(soon.writeCertificate(dir.resolve("s.crt")),
                soon.writePkcs8Key(dir.resolve("s.key"))))) {
            Run r = check("serve", "--check", "--upstream", "127.0.0.1:" + pg.port(), "--upstream-ca", caFile.toString(),
                    "--upstream-server-name", "localhost");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("verifull: warning: The upstream's certificate (O=Verifull Tests,CN=localhost) expires in 9 days"), r.out());
        }
    }
}
