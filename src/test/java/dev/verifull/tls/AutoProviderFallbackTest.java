package dev.verifull.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import dev.verifull.testing.VerifullProcess;

/**
 * {@code --tls-provider auto} where the OpenSSL native is missing (a build for another platform,
 * or a system the native does not fit): serve runs on the JDK's TLS and says so in exactly one
 * line. The child JVM gets the test class path without the netty-tcnative jars, which is what
 * such a system looks like to Netty.
 */
class AutoProviderFallbackTest {
    private static final Pattern READY = Pattern.compile("^verifull: listening on 127\\.0\\.0\\.1:(\\d+), .*");

    @TempDir
    Path dir;

    private static String classPathWithoutOpenSsl() {
        List<String> entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).getFileName().toString().startsWith("netty-tcnative"))
                .collect(Collectors.toList());
        assertTrue(entries.size() < System.getProperty("java.class.path").split(File.pathSeparator).length,
                "the test class path carries netty-tcnative, which this test takes away");
        return String.join(File.pathSeparator, entries);
    }

    private List<String> fallbackLines() throws IOException {
        return Files.readString(dir.resolve("stderr.txt")).lines()
                .filter(l -> l.contains("TLS provider auto"))
                .collect(Collectors.toList());
    }

    @Test
    void autoFallsBackToTheJdkWithOneLine() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        Process p = VerifullProcess.startWithClassPath(dir, classPathWithoutOpenSsl(), "serve",
                "--listen", "127.0.0.1:0", "--client-tls", "on", "--upstream", "127.0.0.1:" + pg.port(),
                "--upstream-ca", TestCa.shared().caFile().toString(), "--upstream-server-name", "localhost",
                "--tls-provider", "auto");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            String stderr = Files.readString(dir.resolve("stderr.txt"));
            Matcher m = READY.matcher(ready == null ? "" : ready);
            assertTrue(m.matches(), "serve starts without OpenSSL: " + ready + "\n" + stderr);

            // Verified TLS upstream and a query through it: the JDK provider carries the session.
            Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + m.group(1) + " user=postgres dbname=postgres sslmode=require",
                    "select 'on-jdk-tls'", Duration.ofSeconds(30));
            assertTrue(r.ok(), r.toString());
            assertEquals("on-jdk-tls", r.out());

            List<String> lines = fallbackLines();
            assertEquals(1, lines.size(), "one line about the fallback: " + Files.readString(dir.resolve("stderr.txt")));
            String line = lines.get(0);
            assertTrue(line.contains(" WARN  [serve] TLS provider auto: OpenSSL (netty-tcnative) is not available")
                    && line.endsWith("; using the JDK's TLS instead"), line);
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void explicitOpenSslStillRefusesToStart() throws Exception {
        Process p = VerifullProcess.startWithClassPath(dir, classPathWithoutOpenSsl(), "serve",
                "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:5432",
                "--upstream-ca", TestCa.shared().caFile().toString(), "--tls-provider", "openssl");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), "asked for OpenSSL by name: no silent fallback");
        String stderr = Files.readString(dir.resolve("stderr.txt"));
        assertTrue(stderr.contains("TLS provider openssl is not available here"), stderr);
        assertTrue(fallbackLines().isEmpty(), stderr);
    }

    @Test
    void noLineWhereOpenSslLoads() throws Exception {
        Process p = VerifullProcess.start(dir, "serve", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:5432",
                "--upstream-ca", TestCa.shared().caFile().toString(), "--tls-provider", "auto");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("verifull: listening on "), ready);
            assertTrue(fallbackLines().isEmpty(), Files.readString(dir.resolve("stderr.txt")));
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
