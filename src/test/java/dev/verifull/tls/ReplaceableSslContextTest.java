package dev.verifull.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.TlsProbe;

/** A certificate replaced under a running engine reaches the next client, with every TLS provider. */
class ReplaceableSslContextTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void newConnectionsGetTheReplacement(TlsProvider provider) throws Exception {
        assumeTrue(provider.isAvailable(), provider + " is not available here");
        LocalCa ca = LocalCa.loadOrCreate(dir.resolve("ca"));
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ServerIdentity first = ca.issueServerCertificate(List.of("first.example"), List.of(loopback));
        ServerIdentity second = ca.issueServerCertificate(List.of("second.example"), List.of(loopback));
        ReplaceableSslContext context = new ReplaceableSslContext(ClientTls.serverContext(first, provider));
        // The upstream is never reached: the certificate is shown before the client's StartupMessage.
        try (EngineHarness h = EngineHarness.builder(dir.resolve("engine"), 1).provider(provider).clientTls(context).start()) {
            assertEquals(first.certificate(), TlsProbe.presentedCertificate(h.host(), h.port()));
            context.replace(ClientTls.serverContext(second, provider));
            assertEquals(second.certificate(), TlsProbe.presentedCertificate(h.host(), h.port()));
        }
    }
}
