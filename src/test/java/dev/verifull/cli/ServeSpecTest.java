package dev.verifull.cli;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.manager.EngineSpec;
import dev.verifull.manager.IdentityMode;
import dev.verifull.profile.ProfileBuilder;
import dev.verifull.profile.ProfileStore;
import picocli.CommandLine;

/**
 * The engine spec {@code serve} builds from its options: with {@code --profile NAME}, what the
 * saved profile sets and which options still win over it.
 */
class ServeSpecTest {
    @TempDir
    Path dir;

    private Path saved(int warmUpstreams) throws Exception {
        return saved(profile().name("orders").warmUpstreams(warmUpstreams).maxSessions(40));
    }

    private Path saved(ProfileBuilder orders) throws Exception {
        Path file = dir.resolve("profiles.json");
        ProfileStore.open(file).save(List.of(orders.build()));
        return file;
    }

    private static ServeCommand parsed(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve;
    }

    @Test
    void allowThisMachineComesFromTheProfileOrTheFlag() throws Exception {
        EngineSpec fromProfile = parsed("--profile", "orders").engineSpec(saved(profile().name("orders")
                .binding(dev.verifull.profile.Profile.Binding.TAILNET).allowThisMachine(true)));
        assertEquals(true, fromProfile.accessRules().allowThisMachine());

        EngineSpec off = parsed("--profile", "orders").engineSpec(
                saved(profile().name("orders").binding(dev.verifull.profile.Profile.Binding.TAILNET)));
        assertEquals(false, off.accessRules().allowThisMachine(), "off unless the profile says so");

        assertEquals(true, parsed("--identity", "tailscale", "--allow-this-machine", "--upstream", "db.example.com:5432",
                "--upstream-system-trust").engineSpec(null).accessRules().allowThisMachine());
        Path file = saved(profile().name("orders"));
        assertThrows(ServeCommand.UsageError.class, () -> parsed("--profile", "orders", "--allow-this-machine").engineSpec(file),
                "an access setting goes in the profile, not beside it");
    }

    @Test
    void theProfilesWarmCountIsUsedWhenNoFlagIsGiven() throws Exception {
        EngineSpec spec = parsed("--profile", "orders").engineSpec(saved(3));
        assertEquals(3, spec.warmUpstreams());
    }

    @Test
    void anExplicitWarmUpstreamsFlagWinsOverTheProfile() throws Exception {
        Path file = saved(3);
        EngineSpec off = parsed("--profile", "orders", "--warm-upstreams", "0").engineSpec(file);
        assertEquals(0, off.warmUpstreams(), "0 given explicitly turns the profile's warm connections off");

        EngineSpec more = parsed("--profile", "orders", "--warm-upstreams", "5").engineSpec(file);
        assertEquals(5, more.warmUpstreams());
    }

    @Test
    void aProfileWithoutWarmConnectionsKeepsThemOff() throws Exception {
        EngineSpec spec = parsed("--profile", "orders").engineSpec(saved(0));
        assertEquals(0, spec.warmUpstreams());
    }

    @Test
    void anOutOfRangeCountInAHandEditedProfileIsAUsageError() throws Exception {
        ServeCommand serve = parsed("--profile", "orders");
        Path file = saved(12);
        ServeCommand.UsageError e = assertThrows(ServeCommand.UsageError.class, () -> serve.engineSpec(file));
        assertEquals("profile 'orders': Keep 0–8 connections ready: each one holds a server connection slot", e.getMessage());
    }

    @Test
    void theProfilesSessionLimitIsUsedUnlessMaxSessionsIsGiven() throws Exception {
        Path file = saved(0);
        EngineSpec fromProfile = parsed("--profile", "orders").engineSpec(file);
        assertEquals(40, fromProfile.maxSessions());

        EngineSpec explicit = parsed("--profile", "orders", "--max-sessions", "500").engineSpec(file);
        assertEquals(500, explicit.maxSessions(), "the flag wins over the profile, as --warm-upstreams does");
    }

    @Test
    void theProfilesLowLatencySettingIsUsedUnlessBusyPollIsGiven() throws Exception {
        Path file = saved(profile().name("orders").busyPollMicros(50));
        EngineSpec fromProfile = parsed("--profile", "orders").engineSpec(file);
        EngineSpec off = parsed("--profile", "orders", "--busy-poll-us", "0").engineSpec(file);
        assertEquals(50, fromProfile.busyPollMicros());
        assertEquals(0, off.busyPollMicros(), "0 given explicitly turns the profile's polling off");
    }

    @Test
    void anOutOfRangePollTimeInAHandEditedProfileIsAUsageError() throws Exception {
        Path file = saved(profile().name("orders").busyPollMicros(5000));
        ServeCommand serve = parsed("--profile", "orders");
        ServeCommand.UsageError e = assertThrows(ServeCommand.UsageError.class, () -> serve.engineSpec(file));
        assertEquals("profile 'orders': Look for traffic 0–1000 µs before sleeping (0 = off)", e.getMessage());
    }

    @Test
    void theTimeoutsAreTheOptionsWithOrWithoutAProfile() throws Exception {
        Path file = saved(0);
        EngineSpec defaults = parsed("--profile", "orders").engineSpec(file);
        assertEquals(Duration.ofSeconds(10), defaults.handshakeTimeout());
        assertEquals(Duration.ofSeconds(10), defaults.connectTimeout());
        EngineSpec given = parsed("--profile", "orders", "--handshake-timeout", "3", "--connect-timeout", "4").engineSpec(file);
        assertEquals(Duration.ofSeconds(3), given.handshakeTimeout());
        assertEquals(Duration.ofSeconds(4), given.connectTimeout());
    }

    @Test
    void everyOptionReachesTheSpec() throws Exception {
        EngineSpec spec = parsed("--identity", "tailscale", "--port", "7000", "--tailscale-socket", "/run/ts.sock",
                "--allow-user", "alice@example.com", "--allow-tag", "ci", "--allow-capability", "verifull.dev/cap/pg",
                "--upstream", "db.internal:6543", "--upstream-server-name", "db.example.com", "--upstream-direct-tls",
                "--upstream-ca", "/x/ca.pem", "--upstream-client-cert", "/x/c.pem", "--upstream-client-key", "/x/k.pem",
                "--tls13-only", "--tls-provider", "jdk", "--max-sessions", "7", "--handshake-timeout", "2",
                "--connect-timeout", "3", "--warm-upstreams", "1", "--busy-poll-us", "20", "--local-ca-dir", "/x/ca",
                "--client-cert-name", "pg.example.com", "--name", "orders").engineSpec(null);
        assertEquals("orders", spec.name());
        assertEquals(IdentityMode.TAILSCALE, spec.identity());
        assertTrue(spec.onTailnet());
        assertEquals(7000, spec.tailnetPort());
        assertEquals(Path.of("/run/ts.sock"), spec.tailscaleSocket());
        assertEquals("users alice@example.com; tags tag:ci; capability verifull.dev/cap/pg", spec.accessRules().describe());
        assertEquals("db.internal", spec.upstreamHost());
        assertEquals(6543, spec.upstreamPort());
        assertEquals("db.example.com", spec.serverName());
        assertTrue(spec.directTls());
        assertEquals(List.of(Path.of("/x/ca.pem")), spec.upstreamTls().caFiles());
        assertEquals(Path.of("/x/c.pem"), spec.upstreamTls().clientCertificate());
        assertEquals(Path.of("/x/k.pem"), spec.upstreamTls().clientKey());
        assertTrue(spec.upstreamTls().tls13Only());
        assertEquals("jdk", spec.upstreamTls().provider().id());
        assertEquals(7, spec.maxSessions());
        assertEquals(Duration.ofSeconds(2), spec.handshakeTimeout());
        assertEquals(Duration.ofSeconds(3), spec.connectTimeout());
        assertEquals(1, spec.warmUpstreams());
        assertEquals(20, spec.busyPollMicros());
        assertEquals(Path.of("/x/ca"), spec.localCaDir());
        assertEquals(List.of("pg.example.com"), spec.clientCertificateNames());
    }

    @Test
    void optionsThatCannotGoWithAProfileAreNamedBeforeTheProfileIsLookedFor() {
        ServeCommand serve = parsed("--profile", "nope", "--upstream", "db:5432");
        ServeCommand.UsageError e = assertThrows(ServeCommand.UsageError.class, () -> serve.engineSpec(dir.resolve("profiles.json")));
        assertEquals("--profile takes the upstream, trust, listen and access settings from the saved profile; "
                + "leave out --upstream*, --listen and --allow-* (or leave out --profile)", e.getMessage());
        ServeCommand tls = parsed("--profile", "nope", "--tls13-only");
        assertTrue(assertThrows(ServeCommand.UsageError.class, () -> tls.engineSpec(dir.resolve("profiles.json"))).getMessage()
                .endsWith("leave out --tls13-only (or leave out --profile)"));
    }

    @Test
    void aNegativeGraceIsAUsageError() {
        ServeCommand serve = parsed("--grace", "-1", "--listen", "127.0.0.1:0", "--upstream", "db:5432", "--upstream-system-trust");
        ServeCommand.UsageError e = assertThrows(ServeCommand.UsageError.class, () -> serve.engineSpec(null));
        assertEquals("--grace must not be negative", e.getMessage());
    }
}
