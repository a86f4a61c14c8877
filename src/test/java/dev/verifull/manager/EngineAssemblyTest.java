package dev.verifull.manager;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.LocalOnlyAdmission;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.TestPki;
import dev.verifull.tls.TlsConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec becomes an engine the same way for the app and for serve: every setting reaches the engine. */
class EngineAssemblyTest {
    @TempDir
    Path dir;

    private EngineAssembly shared() {
        return new EngineAssembly(EngineHarness.transport(), settings -> {
            throw new AssertionError("no Tailscale for these engines");
        });
    }

    private Path ca() {
        return TestPki.rootCa("Assembly CA").writeCertificate(dir.resolve("ca.pem"));
    }

    @Test
    void theSpecsSettingsReachTheEngine() throws Exception {
        EngineSpec spec = EngineSpec.builder().localCaDir(dir.resolve("local-ca")).maxSessions(7).warmUpstreams(2)
                .handshakeTimeoutSeconds(3).connectTimeoutSeconds(4)
                .buildOver(profile().name("orders").upstream("db.internal", 6543).serverName("db.example.com").ca(ca())
                        .directTls(true).listenPort(0).offerClientTls(true).build());
        try (EngineAssembly assembly = shared(); AssembledEngine engine = assembly.assemble(spec, note -> { })) {
            EngineConfig c = engine.engine().config();
            assertEquals("orders", c.name());
            assertEquals("db.internal:6543", c.upstreamEndpoint());
            assertEquals("db.example.com", c.verifiedName());
            assertTrue(c.upstreamDirectTls());
            assertEquals(7, c.maxSessions());
            assertEquals(2, c.warmUpstreams());
            assertEquals(Duration.ofSeconds(3), c.handshakeTimeout(), "the app path takes the spec's timeouts too");
            assertEquals(Duration.ofSeconds(4), c.upstreamConnectTimeout());
            assertEquals(spec.listen(), c.listen());
            assertTrue(c.admission() instanceof LocalOnlyAdmission);
            assertEquals("the local CA " + dir.resolve("local-ca").resolve("ca.pem"), engine.certificate());
            assertTrue(c.offersClientTls());
            assertSame(EngineHarness.transport(), engine.transport(), "no polling: the shared I/O threads");
        }
    }

    @Test
    void withoutClientTlsNoCertificateIsMadeForClients() throws Exception {
        EngineSpec spec = EngineSpec.builder().localCaDir(dir.resolve("no-local-ca")).buildOver(profile().ca(ca()).listenPort(0).build());
        assertFalse(spec.offerClientTls(), "a profile's default");
        try (EngineAssembly assembly = shared(); AssembledEngine engine = assembly.assemble(spec, note -> { })) {
            assertFalse(engine.engine().config().offersClientTls());
            assertEquals("no TLS (Offer TLS to clients is off)", engine.certificate());
            assertFalse(java.nio.file.Files.exists(dir.resolve("no-local-ca")), "no local CA is created for it");
        }
    }

    @Test
    void aBusyPollingEngineRunsOnItsOwnThreadsAsManyAsTheSharedOnes() throws Exception {
        EngineSpec spec = EngineSpec.builder().localCaDir(dir.resolve("local-ca"))
                .buildOver(profile().ca(ca()).listenPort(0).busyPollMicros(50).build());
        try (EngineAssembly assembly = shared(); AssembledEngine engine = assembly.assemble(spec, note -> { })) {
            assertNotSame(EngineHarness.transport(), engine.transport());
            assertEquals(EngineHarness.transport().eventLoops(), engine.transport().eventLoops());
            engine.stop(Duration.ZERO).join();
            assertTrue(engine.transport().group().isShuttingDown(), "its own threads end with it");
        }
    }

    @Test
    void withoutSharedThreadsEveryEngineHasItsOwn() throws Exception {
        EngineSpec spec = EngineSpec.builder().listen("127.0.0.1", 0).upstream("db", 5432).caFiles(List.of(ca()))
                .localCaDir(dir.resolve("local-ca")).build();
        try (EngineAssembly assembly = new EngineAssembly(null, settings -> {
            throw new AssertionError("identity none needs no Tailscale");
        }); AssembledEngine engine = assembly.assemble(spec, note -> { })) {
            assertTrue(engine.engine().config().admission() == dev.verifull.engine.ClientAdmission.ANYONE);
            engine.close();
            assertTrue(engine.transport().group().isShuttingDown());
        }
    }

    @Test
    void aCaFileThatCannotBeReadIsAConfigurationProblem() throws Exception {
        EngineSpec spec = EngineSpec.builder().listen("127.0.0.1", 0).upstream("db", 5432)
                .caFiles(List.of(dir.resolve("missing.pem"))).localCaDir(dir.resolve("local-ca")).build();
        try (EngineAssembly assembly = shared()) {
            TlsConfigException e = assertThrows(TlsConfigException.class, () -> assembly.assemble(spec, note -> { }));
            assertTrue(e.getMessage().contains("missing.pem"), e.getMessage());
        }
    }
}
