package dev.verifull.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.verifull.tls.UpstreamDiagnosis.Kind;
import dev.verifull.tls.TlsTestClient.Outcome;

class LocalCaTest {
    private static EventLoopGroup group;

    @TempDir
    Path dir;

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void createdOnce_thenReloadedUnchanged() throws Exception {
        Path caDir = dir.resolve("local-ca");
        LocalCa created = LocalCa.loadOrCreate(caDir);
        byte[] keyFile = Files.readAllBytes(caDir.resolve("ca.key"));

        LocalCa loaded = LocalCa.loadOrCreate(caDir);

        assertEquals(created.certificate(), loaded.certificate());
        assertArrayEquals(keyFile, Files.readAllBytes(caDir.resolve("ca.key")));
        assertEquals(caDir.resolve("ca.pem"), loaded.certificateFile());
        assertEquals(Files.readString(loaded.certificateFile()), loaded.certificatePem());
        assertEquals(List.of(created.certificate()), PemFiles.readCertificates(loaded.certificateFile()));
    }

    @Test
    void caCertificate_isATenYearEcP256Ca() throws Exception {
        X509Certificate ca = LocalCa.loadOrCreate(dir).certificate();

        assertTrue(ca.getSubjectX500Principal().getName().contains("Verifull Local CA ("), ca.getSubjectX500Principal().getName());
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        assertTrue(ca.getBasicConstraints() >= 0, "is a CA");
        assertTrue(ca.getKeyUsage()[5], "may sign certificates");
        assertEquals(256, ((ECPublicKey) ca.getPublicKey()).getParams().getOrder().bitLength());
        ca.verify(ca.getPublicKey());
        Duration validity = Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant());
        assertTrue(validity.toDays() >= 3650 && validity.toDays() <= 3653, validity.toString());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void keyIsOwnerOnly_andDirectoryPrivate() throws Exception {
        Path caDir = dir.resolve("fresh");
        LocalCa.loadOrCreate(caDir);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir.resolve("ca.key"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir)));
        assertTrue(Files.readString(caDir.resolve("ca.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
        try (var leftovers = Files.list(caDir)) {
            assertEquals(Set.of("ca.pem", "ca.key", "ca.lock"),
                    leftovers.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "no temporary files left behind");
        }
    }

    @Test
    void certificateWithoutKey_isReportedNotReplaced() throws Exception {
        LocalCa.loadOrCreate(dir);
        Files.delete(dir.resolve("ca.key"));

        TlsConfigException e = assertThrows(TlsConfigException.class, () -> LocalCa.loadOrCreate(dir));

        assertTrue(e.getMessage().contains("ca.key is missing"), e.getMessage());
    }

    @Test
    void issuedServerCertificate_hasNamesPurposeAndValidity() throws Exception {
        LocalCa ca = LocalCa.loadOrCreate(dir);
        Instant before = Instant.now();

        ServerIdentity id = ca.issueServerCertificate(List.of("laptop.tail1234.ts.net", "localhost"),
                List.of(InetAddress.getByName("100.64.0.7"), InetAddress.getByName("fd7a:115c:a1e0::7")));

        X509Certificate leaf = id.certificate();
        leaf.verify(ca.certificate().getPublicKey());
        assertEquals(List.of(leaf, ca.certificate()), id.chain());
        CertificateSummary s = CertificateSummary.of(leaf);
        assertEquals(List.of("laptop.tail1234.ts.net", "localhost"), s.dnsNames());
        assertEquals(2, s.ipAddresses().size());
        assertTrue(s.ipAddresses().contains("100.64.0.7"), s.ipAddresses().toString());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.getExtendedKeyUsage(), "serverAuth");
        assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
        assertTrue(Keys.belongTogether(id.key(), leaf.getPublicKey()));
        assertEquals("EC", id.key().getAlgorithm());
        Duration backdated = Duration.between(leaf.getNotBefore().toInstant(), before);
        assertTrue(backdated.toMinutes() >= 59 && backdated.toMinutes() <= 61, backdated.toString());
        Duration validity = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        assertTrue(validity.toDays() >= 364 && validity.toDays() <= 367, validity.toString());
    }

    /** Both sides of the proxy's TLS at once: ClientTls serves the leaf, UpstreamTls verifies it. */
    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void issuedCertificate_verifiesWithHostNameCheck_andNegotiatesAlpn(TlsProvider provider) throws Exception {
        LocalCa ca = LocalCa.loadOrCreate(dir);
        ServerIdentity id = ca.issueServerCertificate(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
        UpstreamTls client = UpstreamTls.create(UpstreamTlsSettings.withCaFiles(provider, ca.certificateFile()));

        try (TlsTestServer server = TlsTestServer.start(group, ClientTls.serverContext(id, provider))) {
            Outcome direct = TlsTestClient.connect(group, client, "localhost", server.port(), true);
            assertTrue(direct.ok(), direct::toString);
            assertEquals("postgresql", direct.negotiated().alpn());
            TlsTestServer.Accepted directSeen = server.nextAccepted();
            assertEquals("postgresql", directSeen.alpn());
            assertEquals(direct.negotiated().protocol(), directSeen.negotiated().protocol());
            assertEquals(direct.negotiated().cipherSuite(), directSeen.negotiated().cipherSuite());
            assertEquals(null, directSeen.negotiated().peer(), "clients send no certificate");
            assertEquals(CertificateSummary.of(id.certificate()), direct.negotiated().peer());

            Outcome withoutAlpn = TlsTestClient.connect(group, client, "127.0.0.1", server.port(), false);
            assertTrue(withoutAlpn.ok(), withoutAlpn::toString);
            TlsTestServer.Accepted seen = server.nextAccepted();
            assertTrue(seen.ok(), () -> String.valueOf(seen.cause()));
            assertEquals(null, seen.alpn(), "a client without ALPN still completes the handshake");

            Outcome wrongName = TlsTestClient.connect(group, client, "db.example.com", server.port(), true);
            assertEquals(Kind.HOSTNAME_MISMATCH, wrongName.failure() == null ? null : wrongName.failure().kind(),
                    wrongName::toString);
        }
    }

    @Test
    void concurrentThreads_allGetTheSameCa() throws Exception {
        Path caDir = dir.resolve("threads");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<X509Certificate>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) tasks.add(() -> LocalCa.loadOrCreate(caDir).certificate());
            Set<X509Certificate> distinct = new HashSet<>();
            for (Future<X509Certificate> f : pool.invokeAll(tasks)) distinct.add(f.get());
            assertEquals(1, distinct.size());
            assertEquals(distinct, Set.copyOf(PemFiles.readCertificates(caDir.resolve("ca.pem"))));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentProcesses_allGetTheSameCa() throws Exception {
        Path caDir = dir.resolve("processes");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LocalCaCreator.class.getName(), caDir.toString()).redirectErrorStream(true).start());
        }
        Set<String> fingerprints = new HashSet<>();
        for (Process p : processes) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            fingerprints.add(out);
        }

        assertEquals(1, fingerprints.size(), fingerprints.toString());
        assertEquals(fingerprints.iterator().next(),
                CertificateSummary.of(LocalCa.loadOrCreate(caDir).certificate()).sha256Fingerprint());
    }
}
