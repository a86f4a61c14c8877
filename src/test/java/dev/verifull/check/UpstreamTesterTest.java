package dev.verifull.check;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.verifull.profile.ProfileBuilder;
import dev.verifull.profile.ProfileValidator.Field;
import dev.verifull.testing.FakeUpstream;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;
import dev.verifull.testing.TestPki;
import dev.verifull.tls.CertificateSummary;
import dev.verifull.tls.TlsProvider;
import dev.verifull.tls.UpstreamDiagnosis.Kind;
import dev.verifull.tls.UpstreamDiagnosis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** "Test upstream" against real PostgreSQL 17 servers and, for misbehaviour real servers never show, a fake one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamTesterTest {
    private static final TestPki.Issued OTHER_CA = TestPki.rootCa("Not The Server's CA");

    @TempDir
    static Path dir;
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tester-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private PgServer tls;

    @BeforeAll
    void start() {
        tls = PgServer.shared(17, PgServer.Options.tls());
    }

    @AfterAll
    void stop() {
        executor.shutdownNow();
    }

    private ProfileBuilder toTlsServer() {
        return profile().upstream("127.0.0.1", tls.port()).ca(TestCa.shared().caFile());
    }

    private UpstreamTestResult run(ProfileBuilder p) throws Exception {
        return UpstreamTester.test(p.build(), executor).get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsProvider.class)
    void aGoodCaShowsTheVerifiedChain(TlsProvider provider) throws Exception {
        assumeTrue(provider.isAvailable(), provider.unavailableReason());
        UpstreamTestResult r = run(toTlsServer().tlsProvider(provider.id()));
        assertTrue(r.ok(), String.valueOf(r.diagnosis()));
        assertNull(r.diagnosis());
        assertEquals("127.0.0.1:" + tls.port(), r.endpoint());
        assertEquals("127.0.0.1", r.verifiedName());
        assertEquals("CA file " + TestCa.shared().caFile(), r.trust());
        assertTrue(r.tlsVersion().startsWith("TLSv1."), r.tlsVersion());
        assertNotNull(r.cipherSuite());
        assertNull(r.alpn(), "no ALPN with SSLRequest negotiation");
        CertificateSummary leaf = r.serverCertificate();
        assertEquals(CertificateSummary.of(TestCa.shared().server().certificate()), leaf);
        assertTrue(leaf.dnsNames().contains("localhost") && leaf.ipAddresses().contains("127.0.0.1"), leaf.toString());
        assertTrue(leaf.notAfter().isAfter(Instant.now()));
        assertTrue(r.elapsedMillis() >= 0 && r.elapsedMillis() < 30_000);
        assertEquals(CertificateSummary.of(TestCa.shared().ca().certificate()), r.trustAnchor(), "the CA it was matched to");
        java.security.cert.X509Certificate fromPem = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory
                .getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(leaf.pem().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals(TestCa.shared().server().certificate(), fromPem, "the PEM is the certificate");
    }

    @Test
    void directTlsNegotiatesAlpnPostgresql() throws Exception {
        UpstreamTestResult r = run(toTlsServer().directTls(true).tls13Only(true));
        assertTrue(r.ok(), String.valueOf(r.diagnosis()));
        assertEquals("postgresql", r.alpn());
        assertEquals("TLSv1.3", r.tlsVersion());
    }

    @Test
    void theWrongCaIsUntrustedAndTheFileIsNamed() throws Exception {
        Path wrong = OTHER_CA.writeCertificate(dir.resolve("wrong-ca.pem"));
        UpstreamTestResult r = run(toTlsServer().ca(wrong));
        assertFalse(r.ok());
        assertEquals(Kind.UNTRUSTED, r.diagnosis().kind());
        assertTrue(r.diagnosis().sentence().startsWith("Certificate not trusted: "), r.diagnosis().sentence());
        assertTrue(r.diagnosis().sentence().contains("CA file " + wrong), r.diagnosis().sentence());
        assertEquals(List.of(wrong.toString()), r.toCheck());
        assertEquals(Set.of(Field.CA_FILES), r.fields());
        assertTrue(r.diagnosis().detail().contains("localhost"), "the chain's names: " + r.diagnosis().detail());
        assertTrue(r.diagnosis().hint().contains("Verifull Test Root"), "the CA to add: " + r.diagnosis().hint());
        assertEquals(CertificateSummary.of(TestCa.shared().server().certificate()), r.serverCertificate(),
                "what the server sent, though it was not trusted");
        assertNull(r.trustAnchor(), "no CA it leads to");
        assertEquals(List.of(), r.namesToOffer(), "the name is not the problem");
    }

    @Test
    void theCaFileToCheckIsNamedAsTheUserChoseIt() throws Exception {
        Path copy = OTHER_CA.writeCertificate(dir.resolve("wrong-ca-1a2b3c4d.pem"));
        UpstreamTestResult r = run(toTlsServer().ca(copy).importedFrom(copy.toString(), "/home/me/Downloads/wrong-ca.pem"));
        assertEquals(List.of("/home/me/Downloads/wrong-ca.pem (a copy is kept in the app data: " + copy + ")"), r.toCheck());
        // the refusal's sentence and where trust came from name it so too (the engine's refusals use the same settings)
        String named = "CA file /home/me/Downloads/wrong-ca.pem (a copy is kept in the app data: " + copy + ")";
        assertTrue(r.diagnosis().sentence().contains("which is not a CA in " + named), r.diagnosis().sentence());
        assertEquals(named, r.trust());
        assertFalse(r.diagnosis().hint().contains(named), "named once, not again in the hint: " + r.diagnosis().hint());
    }

    @Test
    void aServerNameTheCertificateLacksIsAMismatch() throws Exception {
        UpstreamTestResult r = run(toTlsServer().serverName("db.example.com"));
        assertEquals(Kind.HOSTNAME_MISMATCH, r.diagnosis().kind());
        assertEquals("db.example.com", r.verifiedName());
        assertTrue(r.diagnosis().sentence().startsWith("Certificate name mismatch: "), r.diagnosis().sentence());
        assertTrue(r.diagnosis().sentence().contains("\"db.example.com\""), r.diagnosis().sentence());
        assertTrue(r.diagnosis().detail().contains("localhost, 127.0.0.1"), r.diagnosis().detail());
        assertEquals(Set.of(Field.SERVER_NAME), r.fields());
        assertEquals(List.of("db.example.com"), r.toCheck());
        assertEquals(List.of("localhost", "127.0.0.1"), r.namesToOffer(), "the names to offer as the server name");
        assertEquals(CertificateSummary.of(TestCa.shared().ca().certificate()), r.trustAnchor(), "the chain itself is trusted");
        assertFalse(r.diagnosis().hint().contains("verified against"), "the CA is not the problem: " + r.diagnosis().hint());
    }

    @Test
    void aServerWithoutTlsAnswersN() throws Exception {
        PgServer plain = PgServer.shared(17, PgServer.Options.plain());
        UpstreamTestResult r = run(toTlsServer().upstream("127.0.0.1", plain.port()));
        assertEquals(Kind.NO_TLS, r.diagnosis().kind());
        assertEquals("The upstream server 127.0.0.1:" + plain.port()
                + " does not accept TLS connections (it answered 'N' to the SSLRequest).", r.diagnosis().sentence());
        assertTrue(r.diagnosis().hint().contains("Turn on ssl"), r.diagnosis().hint());
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        UpstreamTestResult r = run(toTlsServer().upstream("127.0.0.1", port));
        assertEquals(Kind.UNREACHABLE, r.diagnosis().kind());
        assertEquals("Cannot reach the upstream server 127.0.0.1:" + port + " (connection refused).", r.diagnosis().sentence());
        assertEquals(Set.of(Field.UPSTREAM_HOST, Field.UPSTREAM_PORT), r.fields());
    }

    @Test
    void anUnknownHostNameIsUnreachable() throws Exception {
        UpstreamTestResult r = run(toTlsServer().upstream("no-such-host.invalid", 5432));
        assertEquals(Kind.UNRESOLVABLE, r.diagnosis().kind());
        assertTrue(r.diagnosis().sentence().startsWith("Cannot resolve the upstream host name no-such-host.invalid"), r.diagnosis().sentence());
    }

    @Test
    void aSilentServerTimesOutWithoutBlockingTheCaller() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) accepted.add(silent.accept());
                } catch (Exception closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long before = System.nanoTime();
            CompletableFuture<UpstreamTestResult> f = UpstreamTester.test(
                    toTlsServer().upstream("127.0.0.1", silent.getLocalPort()).build(), executor, Duration.ofMillis(700));
            CompletableFuture<String> completedOn = f.thenApply(r -> Thread.currentThread().getName());
            assertTrue(System.nanoTime() - before < TimeUnit.MILLISECONDS.toNanos(500), "test() returns at once");
            // Wait on the dependent, not on f: a thread blocked in f.get() may run f's dependents itself.
            String thread = completedOn.get(10, TimeUnit.SECONDS);
            assertTrue(thread.startsWith("tester-"), "completes on the caller's executor: " + thread);
            UpstreamTestResult r = f.getNow(null);
            assertEquals(Kind.TIMED_OUT, r.diagnosis().kind());
            assertTrue(r.diagnosis().sentence().endsWith("did not complete a verified TLS connection within 0.7 s."), r.diagnosis().sentence());
            assertTrue(r.elapsedMillis() >= 700, "elapsed " + r.elapsedMillis());
        }
    }

    @Test
    void aMissingCaFileIsAConfigurationProblem() throws Exception {
        UpstreamTestResult r = run(toTlsServer().caFiles(List.of(dir.resolve("gone.pem").toString())));
        assertEquals(Kind.CONFIGURATION, r.diagnosis().kind());
        assertTrue(r.diagnosis().sentence().contains("gone.pem does not exist"), r.diagnosis().sentence());
        assertEquals(Set.of(Field.CA_FILES), r.fields());
    }

    @Test
    void aFileThatIsNoCertificateIsAConfigurationProblemNamingIt() throws Exception {
        Path key = OTHER_CA.writePkcs8Key(dir.resolve("actually-a-key.pem"));
        UpstreamTestResult r = run(toTlsServer().ca(key));
        assertEquals(Kind.CONFIGURATION, r.diagnosis().kind());
        assertTrue(r.diagnosis().sentence().contains(key.toString()), r.diagnosis().sentence());
        assertEquals(List.of(key.toString()), r.toCheck());
    }

    @Test
    void theStartupMessageIsNeverSent() throws Exception {
        TestPki.Issued ca = TestPki.rootCa("Fake Upstream CA");
        Path caFile = ca.writeCertificate(dir.resolve("fake-ca.pem"));
        try (FakeUpstream fake = new FakeUpstream(FakeUpstream.Mode.TLS, TestPki.server(ca, "localhost", "127.0.0.1"))) {
            UpstreamTestResult r = run(profile().upstream("127.0.0.1", fake.port()).ca(caFile).defaultUser("mallory"));
            assertTrue(r.ok(), String.valueOf(r.diagnosis()));
            Thread.sleep(300); // anything sent would have been recorded by now
            assertEquals(0, fake.receivedAfterSslRequest().length, "nothing after the TLS handshake");
            assertEquals(1, fake.connections());
        }
    }

    @Test
    void misbehavingServersAreNamedAsTheEngineNamesThem() throws Exception {
        assertEquals(Kind.SERVER_ERROR, fake(FakeUpstream.Mode.ANSWER_ERROR, null).kind());
        UpstreamDiagnosis error = fake(FakeUpstream.Mode.ANSWER_ERROR, null);
        assertEquals("The upstream server 127.0.0.1:" + lastFakePort + " answered the TLS request with an error.", error.sentence(),
                "the server's own words came before TLS: not shown (CVE-2024-10977)");
        assertEquals("XX000: this server does not like you", error.unauthenticatedServerText());
        assertTrue(fake(FakeUpstream.Mode.PLAINTEXT, null).sentence().contains("did not answer the TLS request as PostgreSQL does (first byte 0x52)"));
        assertTrue(fake(FakeUpstream.Mode.S_THEN_DATA, null).sentence().contains("sent unencrypted data after agreeing to TLS"));
        assertEquals(Kind.HANDSHAKE_FAILED, fake(FakeUpstream.Mode.CLOSE_MID_HANDSHAKE, null).kind());

        TestPki.Issued ca = TestPki.rootCa("Fake Upstream CA 2");
        Instant now = Instant.now();
        assertEquals(Kind.EXPIRED, fake(FakeUpstream.Mode.TLS, ca,
                TestPki.server(ca, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), false, "127.0.0.1")).kind());
        assertEquals(Kind.SELF_SIGNED, fake(FakeUpstream.Mode.TLS, ca, TestPki.selfSignedServer("127.0.0.1")).kind());
    }

    private int lastFakePort;

    private UpstreamDiagnosis fake(FakeUpstream.Mode mode, TestPki.Issued cert) throws Exception {
        return fake(mode, OTHER_CA, cert);
    }

    private UpstreamDiagnosis fake(FakeUpstream.Mode mode, TestPki.Issued ca, TestPki.Issued cert) throws Exception {
        Path caFile = ca.writeCertificate(dir.resolve("ca-" + mode + ".pem"));
        try (FakeUpstream fake = new FakeUpstream(mode, cert)) {
            lastFakePort = fake.port();
            UpstreamTestResult r = run(profile().upstream("127.0.0.1", fake.port()).ca(caFile));
            assertFalse(r.ok(), mode.toString());
            return r.diagnosis();
        }
    }
}
