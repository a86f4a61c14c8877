package dev.verifull.manager;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import dev.verifull.engine.EngineLimits;
import dev.verifull.profile.Profile;

/**
 * One checked description of an engine, from a saved profile or from serve's options: what each
 * source sets, which options win over a profile, and the messages for what cannot make an engine.
 */
class EngineSpecTest {
    /** Valid serve options to break one at a time. */
    private static EngineSpec.Builder options() {
        return EngineSpec.builder().listen("127.0.0.1", 0).upstream("db.example.com", 5432).systemTrust(true);
    }

    private static String problem(EngineSpec.Builder b) {
        return assertThrows(InvalidSpecException.class, b::build).getMessage();
    }

    private static String problemOver(Profile p, UnaryOperator<EngineSpec.Builder> options) {
        return assertThrows(InvalidSpecException.class, () -> options.apply(EngineSpec.builder()).buildOver(p)).getMessage();
    }

    @Test
    void aLocalOnlyProfileListensOnLoopbackAsTheLocalUser() throws Exception {
        EngineSpec spec = EngineSpec.fromProfile(profile().name("orders").upstream("db.internal", 6543).serverName("db.example.com")
                .directTls(true).tls13Only(true).listenPort(16432).maxSessions(40).build());
        assertEquals("orders", spec.name());
        assertEquals(IdentityMode.LOCAL, spec.identity());
        assertFalse(spec.onTailnet());
        assertEquals(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 16432)), spec.listen());
        assertEquals("db.internal", spec.upstreamHost());
        assertEquals(6543, spec.upstreamPort());
        assertEquals("db.example.com", spec.serverName());
        assertTrue(spec.directTls());
        assertTrue(spec.upstreamTls().systemTrust());
        assertTrue(spec.upstreamTls().tls13Only());
        assertEquals(40, spec.maxSessions());
    }

    @Test
    void aTailnetProfileFollowsTheTailscaleAddressesWithItsRules() throws Exception {
        EngineSpec spec = EngineSpec.fromProfile(profile().name("orders").binding(Profile.Binding.TAILNET).listenPort(7000)
                .allowUsers("alice@example.com").allowTags("ci").allowCapability("verifull.dev/cap/pg").build());
        assertEquals(IdentityMode.TAILSCALE, spec.identity());
        assertTrue(spec.onTailnet());
        assertEquals(7000, spec.tailnetPort());
        assertEquals(List.of(), spec.listen());
        assertEquals("users alice@example.com; tags tag:ci; capability verifull.dev/cap/pg", spec.accessRules().describe());
    }

    @Test
    void theAppAndServeHaveTheSameDefaults() throws Exception {
        EngineSpec app = EngineSpec.fromProfile(profile().build());
        EngineSpec serve = options().build();
        for (EngineSpec spec : List.of(app, serve)) {
            assertEquals(Duration.ofSeconds(10), spec.handshakeTimeout());
            assertEquals(Duration.ofSeconds(10), spec.connectTimeout());
            assertEquals(200, spec.maxSessions());
            assertEquals(0, spec.warmUpstreams());
        }
        assertEquals(EngineLimits.DEFAULT_BUSY_POLL_MICROS, serve.busyPollMicros(), "serve polls unless told not to");
        assertEquals(EngineLimits.DEFAULT_BUSY_POLL_MICROS, Profile.blank("new", 6432).busyPollMicros(),
                "and so does a new profile in the app");
        assertEquals("serve", serve.name());
        assertEquals(IdentityMode.NONE, serve.identity());
    }

    @Test
    void optionsThatGoWithAProfileWinOverIt() throws Exception {
        Profile p = profile().name("orders").maxSessions(40).warmUpstreams(3).busyPollMicros(50).build();
        EngineSpec spec = EngineSpec.builder().maxSessions(500).warmUpstreams(0).busyPollMicros(0).handshakeTimeoutSeconds(3)
                .connectTimeoutSeconds(4).localCaDir(Path.of("/x/local-ca")).clientCertificateNames(List.of("pg.example.com"))
                .buildOver(p);
        assertEquals(500, spec.maxSessions());
        assertEquals(0, spec.warmUpstreams());
        assertEquals(0, spec.busyPollMicros());
        assertEquals(Duration.ofSeconds(3), spec.handshakeTimeout());
        assertEquals(Duration.ofSeconds(4), spec.connectTimeout());
        assertEquals(Path.of("/x/local-ca"), spec.localCaDir());
        assertEquals(List.of("pg.example.com"), spec.clientCertificateNames());
    }

    @Test
    void aProfilesOwnSettingsCannotBeGivenAsOptions() {
        Profile p = profile().name("orders").build();
        String upstreamRule = "--profile takes the upstream, trust, listen and access settings from the saved profile; "
                + "leave out --upstream*, --listen and --allow-* (or leave out --profile)";
        List<UnaryOperator<EngineSpec.Builder>> upstreamListenAccess = List.of(
                b -> b.upstream("other", 5432), b -> b.serverName("other"), b -> b.directTls(true),
                b -> b.caFiles(List.of(Path.of("/x/ca.pem"))), b -> b.systemTrust(true),
                b -> b.clientCertificate(Path.of("/x/c.pem"), null), b -> b.clientCertificate(null, Path.of("/x/k.pem")),
                b -> b.listen("127.0.0.1", 6432), b -> b.allowUsers(List.of("bob@example.com")), b -> b.allowTags(List.of("ci")),
                b -> b.allowCapabilities(List.of("verifull.dev/cap/pg")));
        for (UnaryOperator<EngineSpec.Builder> option : upstreamListenAccess) assertEquals(upstreamRule, problemOver(p, option));
    }

    /** These were once dropped without a word: --tls13-only would have let TLS 1.2 through. */
    @Test
    void aProfilesNameIdentityPortAndTlsSettingsCannotBeGivenAsOptionsEither() {
        Profile p = profile().name("orders").build();
        String rule = "--profile takes the name, identity, port and TLS settings from the saved profile too; leave out ";
        assertEquals(rule + "--tls13-only (or leave out --profile)", problemOver(p, b -> b.tls13Only(true)));
        assertEquals(rule + "--tls-provider (or leave out --profile)", problemOver(p, b -> b.tlsProvider("openssl")));
        assertEquals(rule + "--identity (or leave out --profile)", problemOver(p, b -> b.identity("none")));
        assertEquals(rule + "--port (or leave out --profile)", problemOver(p, b -> b.tailnetPort(5433)));
        assertEquals(rule + "--name, --tls13-only (or leave out --profile)", problemOver(p, b -> b.name("x").tls13Only(true)));
    }

    @Test
    void aProfilesNumbersOutOfRangeAreNamedAfterTheProfile() {
        assertEquals("profile 'orders': Keep 0–8 connections ready: each one holds a server connection slot",
                problemOver(profile().name("orders").warmUpstreams(12).build(), b -> b));
        assertEquals("profile 'orders': Look for traffic 0–1000 µs before sleeping (0 = off)",
                problemOver(profile().name("orders").busyPollMicros(5000).build(), b -> b));
        assertEquals("--warm-upstreams must be 0-8 (each one holds a server connection slot, per I/O thread)",
                problemOver(profile().name("orders").build(), b -> b.warmUpstreams(9)), "a given option is named after the option");
    }

    @Test
    void aProfilesOtherProblemsAreNamedAsTheEngineStarts() {
        assertEquals("unknown TLS provider 'gnutls' (use auto, jdk, bc or openssl)",
                problemOver(profile().tlsProvider("gnutls").build(), b -> b));
        assertEquals("profile 'orders' has no CA file and does not use the system trust store",
                problemOver(profile().name("orders").caFiles(List.of()).build(), b -> b));
        assertEquals("A client certificate was given without its private key",
                problemOver(profile().clientCertificate("/x/c.pem", null).build(), b -> b));
        assertEquals("user rule 'alice' is neither a login name (alice@example.com) nor *@domain",
                problemOver(profile().name("orders").binding(Profile.Binding.TAILNET).allowUsers("alice").build(), b -> b));
        assertEquals("profile 'orders': listen port 70000 is not a port",
                problemOver(profile().name("orders").binding(Profile.Binding.TAILNET).listenPort(70000).build(), b -> b));
        assertEquals("--tailscale-socket needs --identity tailscale",
                problemOver(profile().build(), b -> b.tailscaleSocket(Path.of("/run/ts.sock"))));
    }

    @Test
    void optionsThatCannotMakeAnEngineSayWhichAndWhy() {
        assertEquals("missing required option '--upstream=HOST:PORT' (or --profile NAME)",
                problem(EngineSpec.builder().listen("127.0.0.1", 0).systemTrust(true)));
        assertEquals("unknown --identity 'kerberos' (use tailscale, local or none)", problem(options().identity("kerberos")));
        assertEquals("give either --upstream-ca FILE (repeatable) or --upstream-system-trust", problem(options().systemTrust(false)));
        assertEquals("give either --upstream-ca FILE (repeatable) or --upstream-system-trust",
                problem(options().caFiles(List.of(Path.of("/x/ca.pem")))));
        assertEquals("--upstream-client-cert and --upstream-client-key go together",
                problem(options().clientCertificate(Path.of("/x/c.pem"), null)));
        assertEquals("--max-sessions must be at least 1", problem(options().maxSessions(0)));
        assertEquals("--handshake-timeout must be at least 1 second", problem(options().handshakeTimeoutSeconds(0)));
        assertEquals("--connect-timeout must be at least 1 second", problem(options().connectTimeoutSeconds(0)));
        assertEquals("--warm-upstreams must be 0-8 (each one holds a server connection slot, per I/O thread)",
                problem(options().warmUpstreams(9)));
        assertEquals("--busy-poll-us must be 0-1000", problem(options().busyPollMicros(1001)));
        assertEquals("--busy-poll-us must be 0-1000", problem(options().busyPollMicros(-1)));
        assertEquals("--upstream needs a port other than 0", problem(options().upstream("db", 0)));
        assertEquals("unknown --tls-provider 'gnutls' (use auto, jdk, bc or openssl)", problem(options().tlsProvider("gnutls")));
        assertEquals("--identity local listens on loopback only, not on 0.0.0.0",
                problem(EngineSpec.builder().identity("local").listen("0.0.0.0", 0).upstream("db", 5432).systemTrust(true)));
    }

    @Test
    void identityOptionsGoTogether() throws Exception {
        EngineSpec.Builder noListen = EngineSpec.builder().upstream("db", 5432).systemTrust(true);
        assertEquals("give --listen HOST:PORT, or --identity tailscale to listen on the tailnet", problem(noListen));
        assertEquals("--allow-user, --allow-tag, --allow-capability and --allow-this-machine need --identity tailscale",
                problem(options().allowUsers(List.of("alice@example.com"))));
        assertEquals("--tailscale-socket needs --identity tailscale", problem(options().tailscaleSocket(Path.of("/run/ts.sock"))));
        assertEquals("--port goes with --identity tailscale without --listen; give the port in --listen",
                problem(options().identity("tailscale").tailnetPort(5432)));
        assertEquals("--port 70000 is not a port",
                problem(EngineSpec.builder().identity("tailscale").tailnetPort(70000).upstream("db", 5432).systemTrust(true)));

        EngineSpec tailnet = EngineSpec.builder().identity("tailscale").upstream("db", 5432).systemTrust(true).build();
        assertTrue(tailnet.onTailnet());
        assertEquals(5432, tailnet.tailnetPort(), "the default port on the Tailscale addresses");
        EngineSpec identifiedOnLoopback = options().identity("tailscale").build();
        assertFalse(identifiedOnLoopback.onTailnet(), "with --listen, Tailscale identifies but the addresses are fixed");
        assertEquals(IdentityMode.TAILSCALE, identifiedOnLoopback.identity());
    }

    @Test
    void noUncheckedSpecCanBeMade() throws Exception {
        EngineSpec ok = options().build();
        assertThrows(IllegalArgumentException.class, () -> new EngineSpec(ok.name(), ok.upstreamHost(), ok.upstreamPort(),
                ok.serverName(), ok.directTls(), ok.upstreamTls(), ok.listen(), ok.tailnetPort(), ok.identity(), ok.accessRules(),
                ok.maxSessions(), ok.handshakeTimeout(), ok.connectTimeout(), 9, ok.busyPollMicros(), ok.offerClientTls(), ok.localCaDir(),
                ok.clientCertificateNames(), ok.tailscaleSocket()));
        assertThrows(IllegalArgumentException.class, () -> new EngineSpec(ok.name(), ok.upstreamHost(), ok.upstreamPort(),
                ok.serverName(), ok.directTls(), ok.upstreamTls(), ok.listen(), ok.tailnetPort(), ok.identity(), ok.accessRules(),
                ok.maxSessions(), Duration.ZERO, ok.connectTimeout(), ok.warmUpstreams(), ok.busyPollMicros(), ok.offerClientTls(), ok.localCaDir(),
                ok.clientCertificateNames(), ok.tailscaleSocket()));
    }

    @Test
    void theUpstreamTesterVerifiesWhatTheEngineWould() throws Exception {
        Profile p = profile().name("orders").ca(Path.of("/x/ca.pem")).tls13Only(true).tlsProvider("jdk").build();
        assertEquals(EngineSpec.fromProfile(p).upstreamTls(), EngineSpec.upstreamTls(p));
        assertEquals(List.of(Path.of("/x/ca.pem")), EngineSpec.upstreamTls(p).caFiles());
    }
}
