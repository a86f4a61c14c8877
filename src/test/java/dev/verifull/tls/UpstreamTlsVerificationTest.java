package dev.verifull.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.verifull.testing.TestPki;
import dev.verifull.testing.TestPki.Issued;
import dev.verifull.tls.UpstreamDiagnosis.Kind;
import dev.verifull.tls.TlsTestClient.Outcome;

/** Real handshakes over loopback against a JDK TLS server, with each client provider. */
class UpstreamTlsVerificationTest {
    private static final Issued ROOT = TestPki.rootCa("Verifull Test Root");
    private static final Issued OTHER_ROOT = TestPki.rootCa("Some Other Root");
    private static final Issued GOOD_SERVER = TestPki.server(ROOT, "localhost", "127.0.0.1");
    private static EventLoopGroup group;

    @TempDir
    Path dir;

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private UpstreamTls trusting(TlsProvider provider, Issued... cas) {
        Path[] files = new Path[cas.length];
        for (int i = 0; i < cas.length; i++) files[i] = cas[i].writeCertificate(dir.resolve("ca" + i + ".pem"));
        return create(UpstreamTlsSettings.withCaFiles(provider, files));
    }

    private static UpstreamTls create(UpstreamTlsSettings settings) {
        try {
            return UpstreamTls.create(settings);
        } catch (TlsConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static Outcome handshake(UpstreamTls tls, Issued serverCertificate, String verifyHost) throws Exception {
        try (TlsTestServer server = TlsTestServer.serving(serverCertificate).start(group)) {
            return TlsTestClient.connect(group, tls, verifyHost, server.port(), false);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void trustedCaAndMatchingIpName_succeedsAndReportsTheSession(TlsProvider provider) throws Exception {
        Outcome o = handshake(trusting(provider, ROOT), GOOD_SERVER, "127.0.0.1");

        assertTrue(o.ok(), o::toString);
        assertEquals("TLSv1.3", o.negotiated().protocol());
        assertTrue(o.negotiated().cipherSuite().startsWith("TLS_"), o.negotiated().cipherSuite());
        assertEquals(CertificateSummary.of(GOOD_SERVER.certificate()), o.negotiated().peer());
        assertEquals(List.of("localhost"), o.negotiated().peer().dnsNames());
        assertNull(o.negotiated().alpn());
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void dnsNameIsVerifiedAndSentAsSni(TlsProvider provider) throws Exception {
        UpstreamTls tls = trusting(provider, ROOT);
        try (TlsTestServer server = TlsTestServer.serving(GOOD_SERVER).start(group)) {
            Outcome byName = TlsTestClient.connect(group, tls, "localhost", server.port(), false);
            assertTrue(byName.ok(), byName::toString);
            assertEquals(List.of("localhost"), server.nextAccepted().sniNames());

            Outcome byIp = TlsTestClient.connect(group, tls, "127.0.0.1", server.port(), false);
            assertTrue(byIp.ok(), byIp::toString);
            assertEquals(List.of(), server.nextAccepted().sniNames(), "no SNI for an IP address");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void ipv6Name_isVerifiedWithOrWithoutBrackets(TlsProvider provider) throws Exception {
        Issued v6 = TestPki.server(ROOT, "db.internal", "fd00::5");
        UpstreamTls tls = trusting(provider, ROOT);
        try (TlsTestServer server = TlsTestServer.serving(v6).start(group)) {
            Outcome bracketed = TlsTestClient.connect(group, tls, "[fd00::5]", server.port(), false);
            assertTrue(bracketed.ok(), bracketed::toString);
            Outcome other = TlsTestClient.connect(group, tls, "fd00::6", server.port(), false);
            assertEquals(Kind.HOSTNAME_MISMATCH, kindOf(other), other::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void unknownCa_isUntrusted(TlsProvider provider) throws Exception {
        UpstreamTls tls = trusting(provider, OTHER_ROOT);
        Outcome o = handshake(tls, GOOD_SERVER, "localhost");

        assertEquals(Kind.UNTRUSTED, kindOf(o), o::toString);
        assertTrue(o.failure().message().contains("CN=Verifull Test Root"), o::toString);
        assertTrue(o.failure().message().contains(tls.trustDescription()), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void otherDnsName_isHostnameMismatchNamingBothNames(TlsProvider provider) throws Exception {
        Outcome o = handshake(trusting(provider, ROOT), GOOD_SERVER, "db.example.com");

        assertEquals(Kind.HOSTNAME_MISMATCH, kindOf(o), o::toString);
        assertTrue(o.failure().message().contains("\"db.example.com\""), o::toString);
        assertTrue(o.failure().message().contains("localhost, 127.0.0.1"), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void otherIpAddress_isHostnameMismatch(TlsProvider provider) throws Exception {
        Issued elsewhere = TestPki.server(ROOT, "db.internal", "10.1.2.3");
        Outcome o = handshake(trusting(provider, ROOT), elsewhere, "127.0.0.1");

        assertEquals(Kind.HOSTNAME_MISMATCH, kindOf(o), o::toString);
        assertTrue(o.failure().message().contains("db.internal, 10.1.2.3"), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void expiredServerCertificate_isExpired(TlsProvider provider) throws Exception {
        Instant end = Instant.now().minus(Duration.ofDays(3));
        Issued expired = TestPki.server(ROOT, end.minus(Duration.ofDays(30)), end, false, "localhost");
        Outcome o = handshake(trusting(provider, ROOT), expired, "localhost");

        assertEquals(Kind.EXPIRED, kindOf(o), o::toString);
        assertTrue(o.failure().message().contains("server's certificate"), o::toString);
        assertTrue(o.failure().message().contains(end.toString().substring(0, 10)), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void expiredIntermediate_isExpiredNamingTheCa(TlsProvider provider) throws Exception {
        Issued oldIntermediate = TestPki.ca("Old Intermediate", ROOT,
                Instant.now().minus(Duration.ofDays(60)), Instant.now().minus(Duration.ofDays(1)));
        Issued leaf = TestPki.server(oldIntermediate, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().plus(Duration.ofDays(30)), false, "localhost");
        Outcome o = handshake(trusting(provider, ROOT), leaf, "localhost");

        assertEquals(Kind.EXPIRED, kindOf(o), o::toString);
        assertTrue(o.failure().message().contains("CN=Old Intermediate"), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void futureServerCertificate_isNotYetValid(TlsProvider provider) throws Exception {
        Instant start = Instant.now().plus(Duration.ofDays(2));
        Issued future = TestPki.server(ROOT, start, start.plus(Duration.ofDays(30)), false, "localhost");
        Outcome o = handshake(trusting(provider, ROOT), future, "localhost");

        assertEquals(Kind.NOT_YET_VALID, kindOf(o), o::toString);
        assertTrue(o.failure().message().contains(start.toString().substring(0, 10)), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void selfSignedServer_isSelfSignedWithFingerprint(TlsProvider provider) throws Exception {
        Issued selfSigned = TestPki.selfSignedServer("localhost");
        Outcome o = handshake(trusting(provider, ROOT), selfSigned, "localhost");

        assertEquals(Kind.SELF_SIGNED, kindOf(o), o::toString);
        assertTrue(o.failure().detail().contains(CertificateSummary.of(selfSigned.certificate()).sha256Fingerprint()),
                o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void pinnedSelfSignedServer_isTrusted(TlsProvider provider) throws Exception {
        Issued selfSigned = TestPki.selfSignedServer("localhost");
        Outcome o = handshake(trusting(provider, selfSigned), selfSigned, "localhost");

        assertTrue(o.ok(), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void intermediateSentByServer_isTrustedThroughTheRoot(TlsProvider provider) throws Exception {
        Issued intermediate = TestPki.intermediateCa("Verifull Test Intermediate", ROOT);
        Issued leaf = TestPki.server(intermediate, "localhost");
        Outcome o = handshake(trusting(provider, ROOT), leaf, "localhost");

        assertTrue(o.ok(), o::toString);
        assertEquals(CertificateSummary.of(intermediate.certificate()).subject(), o.negotiated().peer().issuer());
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void intermediateMissingFromServer_isUntrustedNamingTheIntermediate(TlsProvider provider) throws Exception {
        Issued intermediate = TestPki.intermediateCa("Verifull Test Intermediate", ROOT);
        Issued leaf = TestPki.server(intermediate, "localhost");
        Outcome o;
        try (TlsTestServer server = TlsTestServer.serving(leaf).withoutChain().start(group)) {
            o = TlsTestClient.connect(group, trusting(provider, ROOT), "localhost", server.port(), false);
        }

        assertEquals(Kind.UNTRUSTED, kindOf(o), o::toString);
        assertTrue(o.failure().message().contains("CN=Verifull Test Intermediate"), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void caBundleOfSeveralFilesAndCertificates_trustsEveryCertificate(TlsProvider provider) throws Exception {
        Path first = TestPki.writePem(dir.resolve("bundle-a.pem"),
                TestPki.rootCa("Unrelated A").certificate(), ROOT.certificate());
        Path second = TestPki.writePem(dir.resolve("bundle-b.pem"), OTHER_ROOT.certificate());
        UpstreamTls tls = create(UpstreamTlsSettings.withCaFiles(provider, first, second));

        assertEquals("CA files " + first + ", " + second, tls.trustDescription());
        assertTrue(handshake(tls, GOOD_SERVER, "localhost").ok());
        assertTrue(handshake(tls, TestPki.server(OTHER_ROOT, "localhost"), "localhost").ok());
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void tls13OnlyAgainstTls12Server_failsWithVersionHint(TlsProvider provider) throws Exception {
        UpstreamTls tls = create(UpstreamTlsSettings.withCaFiles(provider, ROOT.writeCertificate(dir.resolve("ca.pem")))
                .withTls13Only(true));
        Outcome o;
        try (TlsTestServer server = TlsTestServer.serving(GOOD_SERVER).protocols("TLSv1.2").start(group)) {
            o = TlsTestClient.connect(group, tls, "localhost", server.port(), false);
        }

        assertEquals(Kind.HANDSHAKE_FAILED, kindOf(o), o::toString);
        assertTrue(o.failure().message().contains("no TLS version in common"), o::toString);
        assertTrue(o.failure().hint().contains("only TLS 1.3"), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void tls12Server_isAcceptedByDefault(TlsProvider provider) throws Exception {
        UpstreamTls tls = trusting(provider, ROOT);
        try (TlsTestServer server = TlsTestServer.serving(GOOD_SERVER).protocols("TLSv1.2").start(group)) {
            Outcome o = TlsTestClient.connect(group, tls, "localhost", server.port(), false);
            assertTrue(o.ok(), o::toString);
            assertEquals("TLSv1.2", o.negotiated().protocol());
        }
    }

    static Stream<Arguments> providersAndClientKeys() {
        return Stream.of(TlsProvider.values()).flatMap(p -> Stream.of(
                Arguments.of(p, "pkcs8-ec"), Arguments.of(p, "sec1-ec"),
                Arguments.of(p, "pkcs8-rsa"), Arguments.of(p, "pkcs1-rsa")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("providersAndClientKeys")
    void clientCertificate_isAcceptedByServerRequiringIt(TlsProvider provider, String keyForm) throws Exception {
        Issued clientCa = TestPki.rootCa("Client CA");
        Issued client = TestPki.client(clientCa, "app-user", keyForm.endsWith("rsa"));
        Path cert = client.writeCertificate(dir.resolve("client.crt"));
        Path key = keyForm.startsWith("pkcs8")
                ? client.writePkcs8Key(dir.resolve("client.key"))
                : client.writeTraditionalKey(dir.resolve("client.key"));
        UpstreamTls tls = create(UpstreamTlsSettings.withCaFiles(provider, ROOT.writeCertificate(dir.resolve("ca.pem")))
                .withClientCertificate(cert, key));

        try (TlsTestServer server = TlsTestServer.serving(GOOD_SERVER).requireClientCertificateFrom(clientCa).start(group)) {
            Outcome o = TlsTestClient.connect(group, tls, "localhost", server.port(), false);
            assertTrue(o.ok(), o::toString);
            TlsTestServer.Accepted seen = server.nextAccepted();
            assertTrue(seen.ok(), () -> String.valueOf(seen.cause()));
            assertEquals(client.certificate(), seen.clientChain().get(0));
        }
    }

    /**
     * TLS 1.2, because in TLS 1.3 the client's handshake completes before the server's refusal
     * arrives: the refusal then shows up on the first read instead.
     */
    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverRequiringClientCertificate_withoutOne_failsWithHint(TlsProvider provider) throws Exception {
        UpstreamTls tls = trusting(provider, ROOT);
        Outcome o;
        try (TlsTestServer server = TlsTestServer.serving(GOOD_SERVER).protocols("TLSv1.2")
                .requireClientCertificateFrom(TestPki.rootCa("Client CA")).start(group)) {
            o = TlsTestClient.connect(group, tls, "localhost", server.port(), false);
        }

        assertEquals(Kind.HANDSHAKE_FAILED, kindOf(o), o::toString);
        assertTrue(o.failure().hint().contains("requires a client certificate"), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void directTls_negotiatesAlpnPostgresql(TlsProvider provider) throws Exception {
        UpstreamTls tls = trusting(provider, ROOT);
        try (TlsTestServer server = TlsTestServer.serving(GOOD_SERVER).alpnPostgresql().start(group)) {
            Outcome o = TlsTestClient.connect(group, tls, "localhost", server.port(), true);
            assertTrue(o.ok(), o::toString);
            assertEquals("postgresql", o.negotiated().alpn());
            assertEquals("postgresql", server.nextAccepted().alpn());

            Outcome plain = TlsTestClient.connect(group, tls, "localhost", server.port(), false);
            assertTrue(plain.ok(), plain::toString);
            assertNull(plain.negotiated().alpn(), "SSLRequest-negotiated TLS offers no ALPN");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void directTls_againstServerWithoutAlpn_stillHandshakes(TlsProvider provider) throws Exception {
        Outcome o;
        try (TlsTestServer server = TlsTestServer.serving(GOOD_SERVER).start(group)) {
            o = TlsTestClient.connect(group, trusting(provider, ROOT), "localhost", server.port(), true);
        }
        assertTrue(o.ok(), o::toString);
        assertNull(o.negotiated().alpn());
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void directTls_stillVerifiesTheHostName(TlsProvider provider) throws Exception {
        Outcome o;
        try (TlsTestServer server = TlsTestServer.serving(GOOD_SERVER).alpnPostgresql().start(group)) {
            o = TlsTestClient.connect(group, trusting(provider, ROOT), "db.example.com", server.port(), true);
        }
        assertEquals(Kind.HOSTNAME_MISMATCH, kindOf(o), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void clientOnlyCertificateUsedByServer_isRejectedAlthoughTrusted(TlsProvider provider) throws Exception {
        Issued clientCertificate = TestPki.client(ROOT, "localhost", false); // EKU clientAuth only
        Outcome o = handshake(trusting(provider, ROOT), clientCertificate, "localhost");

        assertEquals(Kind.UNTRUSTED, kindOf(o), o::toString);
        assertTrue(o.failure().message().contains("chains to a trusted CA but was rejected"), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverClosingDuringHandshake_isHandshakeFailed(TlsProvider provider) throws Exception {
        io.netty.channel.Channel server = new io.netty.bootstrap.ServerBootstrap().group(group)
                .channel(io.netty.channel.socket.nio.NioServerSocketChannel.class)
                .childHandler(new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
                        ctx.close();
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        Outcome o;
        try {
            int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
            o = TlsTestClient.connect(group, trusting(provider, ROOT), "localhost", port, false);
        } finally {
            server.close().sync();
        }

        assertEquals(Kind.HANDSHAKE_FAILED, kindOf(o), o::toString);
        assertTrue(o.failure().message().contains("closed the connection"), o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void handshakeTimeout_isHandshakeFailed(TlsProvider provider) {
        UpstreamDiagnosis f = trusting(provider, ROOT).diagnose(
                new io.netty.handler.ssl.SslHandshakeTimeoutException("handshake timed out after 10000ms"), null, false);

        assertEquals(Kind.HANDSHAKE_FAILED, f.kind());
        assertTrue(f.message().contains("timed out"), f::fullText);
    }

    /**
     * The diagnosis is also found by engine alone, for providers whose handshake exception loses
     * the trust manager's exception (the engine Netty hands the trust manager is the handler's).
     */
    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void diagnosisIsFoundByEngineWhenTheCauseIsLost(TlsProvider provider) throws Exception {
        UpstreamTls tls = trusting(provider, ROOT);
        Outcome first;
        try (TlsTestServer server = TlsTestServer.serving(GOOD_SERVER).start(group)) {
            first = TlsTestClient.connect(group, tls, "db.example.com", server.port(), false, false);
        }
        assertFalse(first.ok());
        UpstreamDiagnosis byEngine = tls.diagnose(new javax.net.ssl.SSLHandshakeException("cause lost"), first.engine(), false);
        assertEquals(Kind.HOSTNAME_MISMATCH, byEngine.kind(), byEngine::fullText);
        UpstreamDiagnosis again = tls.diagnose(new javax.net.ssl.SSLHandshakeException("cause lost"), first.engine(), false);
        assertEquals(Kind.HANDSHAKE_FAILED, again.kind(), "the entry is taken once, not kept");
    }

    private static Kind kindOf(Outcome o) {
        return o.ok() ? null : o.failure().kind();
    }
}
