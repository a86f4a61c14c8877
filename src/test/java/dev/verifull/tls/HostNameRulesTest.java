package dev.verifull.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.verifull.testing.TestPki;
import dev.verifull.testing.TestPki.Issued;
import dev.verifull.tls.TlsTestClient.Outcome;

/**
 * Host names are matched as libpq matches them, through the real handshake with every provider:
 * a wildcard only as the whole left-most label (never {@code f*.example.com}), the subject CN only
 * when the certificate has no DNS SAN, and an IP address only against IP SANs.
 */
class HostNameRulesTest {
    private static final Issued ROOT = TestPki.rootCa("Host Name Rules Root");
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

    private Outcome handshake(TlsProvider provider, Issued serverCertificate, String verifyHost) throws Exception {
        UpstreamTls tls;
        try {
            tls = UpstreamTls.create(UpstreamTlsSettings.withCaFiles(provider, ROOT.writeCertificate(dir.resolve("ca.pem"))));
        } catch (TlsConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        try (TlsTestServer server = TlsTestServer.serving(serverCertificate).start(group)) {
            return TlsTestClient.connect(group, tls, verifyHost, server.port(), false);
        }
    }

    private void assertAccepted(TlsProvider provider, Issued certificate, String host) throws Exception {
        Outcome o = handshake(provider, certificate, host);
        assertTrue(o.ok(), () -> host + " should be accepted: " + o);
    }

    private void assertNameRefused(TlsProvider provider, Issued certificate, String host) throws Exception {
        Outcome o = handshake(provider, certificate, host);
        assertFalse(o.ok(), () -> host + " should be refused, but the handshake succeeded");
        assertTrue(o.failure() != null && o.failure().message().contains("is not valid for the name \"" + host + "\""),
                o::toString);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void partialWildcardsMatchNothing(TlsProvider provider) throws Exception {
        assertNameRefused(provider, TestPki.serverNamed(ROOT, "partial", "f*.example.com"), "foo.example.com");
        assertNameRefused(provider, TestPki.serverNamed(ROOT, "partial", "*o.example.com"), "foo.example.com");
        assertNameRefused(provider, TestPki.serverNamed(ROOT, "partial", "f*o.example.com"), "foo.example.com");
        assertNameRefused(provider, TestPki.serverNamed(ROOT, "f*.example.com"), "foo.example.com"); // CN, no SAN
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aWildcardIsTheWholeLeftMostLabelAndMatchesExactlyOneLabel(TlsProvider provider) throws Exception {
        Issued wildcard = TestPki.serverNamed(ROOT, "wildcard", "*.example.com");
        assertAccepted(provider, wildcard, "db.example.com");
        assertNameRefused(provider, wildcard, "a.db.example.com");
        assertNameRefused(provider, wildcard, "example.com");
        assertNameRefused(provider, TestPki.serverNamed(ROOT, "inner", "db.*.example.com"), "db.eu.example.com");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void theCommonNameCountsOnlyWithoutDnsSans(TlsProvider provider) throws Exception {
        assertAccepted(provider, TestPki.serverNamed(ROOT, "legacy.example.com"), "legacy.example.com");
        assertAccepted(provider, TestPki.serverNamed(ROOT, "*.example.com"), "legacy.example.com");
        assertAccepted(provider, TestPki.serverNamed(ROOT, "legacy.example.com", "10.0.0.5"), "legacy.example.com");
        assertNameRefused(provider, TestPki.serverNamed(ROOT, "legacy.example.com", "other.example.com"), "legacy.example.com");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void anIpAddressMatchesIpSansOnly(TlsProvider provider) throws Exception {
        assertAccepted(provider, TestPki.serverNamed(ROOT, "db", "db.internal", "127.0.0.1"), "127.0.0.1");
        assertNameRefused(provider, TestPki.serverNamed(ROOT, "127.0.0.1"), "127.0.0.1"); // CN only
        assertNameRefused(provider, TestPki.serverNamed(ROOT, "127.0.0.1", "db.internal"), "127.0.0.1");
    }
}
