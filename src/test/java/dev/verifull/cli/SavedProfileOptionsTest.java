package dev.verifull.cli;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.profile.ProfileBuilder;
import dev.verifull.profile.ProfileStore;
import picocli.CommandLine;

/** {@code serve --profile NAME}: what the saved profile sets, and which options still win over it. */
class SavedProfileOptionsTest {
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
        ServeCommand fromProfile = parsed("--profile", "orders");
        SavedProfileOptions.apply(fromProfile, "orders", saved(profile().name("orders")
                .binding(dev.verifull.profile.Profile.Binding.TAILNET).allowThisMachine(true)));
        assertEquals(true, fromProfile.allowThisMachine);

        ServeCommand off = parsed("--profile", "orders");
        SavedProfileOptions.apply(off, "orders", saved(profile().name("orders").binding(dev.verifull.profile.Profile.Binding.TAILNET)));
        assertEquals(false, off.allowThisMachine, "off unless the profile says so");

        assertEquals(true, parsed("--identity", "tailscale", "--allow-this-machine").allowThisMachine);
        assertThrows(ServeCommand.UsageError.class, () -> SavedProfileOptions.apply(
                parsed("--profile", "orders", "--allow-this-machine"), "orders", saved(profile().name("orders"))),
                "an access setting goes in the profile, not beside it");
    }

    @Test
    void theProfilesWarmCountIsUsedWhenNoFlagIsGiven() throws Exception {
        ServeCommand serve = parsed("--profile", "orders");
        SavedProfileOptions.apply(serve, "orders", saved(3));
        assertEquals(3, serve.warmUpstreams);
    }

    @Test
    void anExplicitWarmUpstreamsFlagWinsOverTheProfile() throws Exception {
        Path file = saved(3);
        ServeCommand off = parsed("--profile", "orders", "--warm-upstreams", "0");
        SavedProfileOptions.apply(off, "orders", file);
        assertEquals(0, off.warmUpstreams, "0 given explicitly turns the profile's warm connections off");

        ServeCommand more = parsed("--profile", "orders", "--warm-upstreams", "5");
        SavedProfileOptions.apply(more, "orders", file);
        assertEquals(5, more.warmUpstreams);
    }

    @Test
    void aProfileWithoutWarmConnectionsKeepsThemOff() throws Exception {
        ServeCommand serve = parsed("--profile", "orders");
        SavedProfileOptions.apply(serve, "orders", saved(0));
        assertEquals(0, serve.warmUpstreams);
    }

    @Test
    void anOutOfRangeCountInAHandEditedProfileIsAUsageError() throws Exception {
        ServeCommand serve = parsed("--profile", "orders");
        Path file = saved(12);
        ServeCommand.UsageError e = assertThrows(ServeCommand.UsageError.class, () -> SavedProfileOptions.apply(serve, "orders", file));
        assertEquals("profile 'orders': Keep 0–8 connections ready: each one holds a server connection slot", e.getMessage());
    }

    @Test
    void theProfilesSessionLimitIsUsedUnlessMaxSessionsIsGiven() throws Exception {
        Path file = saved(0);
        ServeCommand fromProfile = parsed("--profile", "orders");
        SavedProfileOptions.apply(fromProfile, "orders", file);
        assertEquals(40, fromProfile.maxSessions);

        ServeCommand explicit = parsed("--profile", "orders", "--max-sessions", "500");
        SavedProfileOptions.apply(explicit, "orders", file);
        assertEquals(500, explicit.maxSessions, "the flag wins over the profile, as --warm-upstreams does");
    }

    @Test
    void theProfilesLowLatencySettingIsUsedUnlessBusyPollIsGiven() throws Exception {
        Path file = saved(profile().name("orders").busyPollMicros(50));
        ServeCommand fromProfile = parsed("--profile", "orders");
        SavedProfileOptions.apply(fromProfile, "orders", file);
        ServeCommand off = parsed("--profile", "orders", "--busy-poll-us", "0");
        SavedProfileOptions.apply(off, "orders", file);
        assertEquals(50, fromProfile.busyPollMicros);
        assertEquals(0, off.busyPollMicros, "0 given explicitly turns the profile's polling off");
    }

    @Test
    void anOutOfRangePollTimeInAHandEditedProfileIsAUsageError() throws Exception {
        Path file = saved(profile().name("orders").busyPollMicros(5000));
        ServeCommand serve = parsed("--profile", "orders");
        ServeCommand.UsageError e = assertThrows(ServeCommand.UsageError.class, () -> SavedProfileOptions.apply(serve, "orders", file));
        assertEquals("profile 'orders': Look for traffic 0–1000 µs before sleeping (0 = off)", e.getMessage());
    }
}
