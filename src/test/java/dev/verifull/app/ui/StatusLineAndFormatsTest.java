package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import dev.verifull.tailscale.BackendState;
import dev.verifull.tailscale.TailscaleStatus;
import org.junit.jupiter.api.Test;

/** What the status line and the tables say. */
class StatusLineAndFormatsTest {
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void tailscaleStatusLineTexts() {
        TailscaleStatus running = new TailscaleStatus(BackendState.RUNNING, "Running", List.of(), "laptop.tail1a2b3.ts.net",
                "example.com", "tail1a2b3.ts.net", List.of(), "alice@example.com", "Alice", "laptop", "1.80", List.of(), "");
        assertEquals("Running as alice@example.com on laptop.tail1a2b3.ts.net", TailscaleState.of(running).text());
        assertEquals("laptop.tail1a2b3.ts.net", TailscaleState.of(running).dnsName());
        TailscaleStatus stopped = new TailscaleStatus(BackendState.STOPPED, "Stopped", List.of(), "", "", "", List.of(), "", "",
                "", "", List.of(), "");
        assertEquals("Tailscale is stopped — start it for tailnet profiles", TailscaleState.of(stopped).text());
        assertEquals("Tailscale not found — local-only profiles still work",
                TailscaleState.of(TailscaleStatus.unavailable("no socket")).text());
    }

    @Test
    void aTailnetProfileIsReachedByTheMagicDnsNameOrWithoutOneByThe100xAddress() throws Exception {
        java.net.InetAddress v4 = java.net.InetAddress.getByName("100.101.102.103");
        java.net.InetAddress v6 = java.net.InetAddress.getByName("fd7a:115c:a1e0::1");
        dev.verifull.profile.Profile tailnet = dev.verifull.profile.ProfileBuilder.profile()
                .binding(dev.verifull.profile.Profile.Binding.TAILNET).build();
        TailscaleStatus named = new TailscaleStatus(BackendState.RUNNING, "Running", List.of(v6, v4), "laptop.tail1a2b3.ts.net",
                "", "", List.of(), "alice@example.com", "Alice", "laptop", "1.80", List.of(), "");
        TailscaleStatus noMagicDns = new TailscaleStatus(BackendState.RUNNING, "Running", List.of(v6, v4), "",
                "", "", List.of(), "alice@example.com", "Alice", "laptop", "1.80", List.of(), "");
        assertEquals("laptop.tail1a2b3.ts.net", dev.verifull.app.profiles.ConnectAddress.host(tailnet, TailscaleState.of(named)));
        assertEquals("100.101.102.103", dev.verifull.app.profiles.ConnectAddress.host(tailnet, TailscaleState.of(noMagicDns)));
        assertEquals(null, dev.verifull.app.profiles.ConnectAddress.host(tailnet, TailscaleState.NOT_FOUND));
        assertEquals("127.0.0.1", dev.verifull.app.profiles.ConnectAddress.host(dev.verifull.profile.ProfileBuilder.profile().build(),
                TailscaleState.NOT_FOUND));
    }

    @Test
    void formats() {
        assertEquals("0.4 s", Formats.duration(Duration.ofMillis(420)));
        assertEquals("42 s", Formats.duration(Duration.ofSeconds(42)));
        assertEquals("3 m 05 s", Formats.duration(Duration.ofSeconds(185)));
        assertEquals("2 h 04 m", Formats.duration(Duration.ofMinutes(124)));
        assertEquals("512 B", Formats.bytes(512));
        assertEquals("1.5 KB", Formats.bytes(1536));
        assertEquals("23 MB", Formats.bytes(23L * 1024 * 1024));
        assertEquals("10:00:00", Formats.time(t0, ZoneOffset.UTC, LocalDate.of(2026, 3, 1)));
        assertEquals("Mar 1 10:00:00", Formats.time(t0, ZoneOffset.UTC, LocalDate.of(2026, 3, 2)));
        assertEquals("2026-03-01 11:00:00 CET", Formats.zonedDateTime(t0, java.time.ZoneId.of("Europe/Berlin")));
        assertEquals("2026-07-01 12:00:00 CEST", Formats.zonedDateTime(Instant.parse("2026-07-01T10:00:00Z"),
                java.time.ZoneId.of("Europe/Berlin")), "the zone of the moment: summer time");
    }

    @Test
    void ipv6AddressesInCompactForm() {
        assertEquals("::1", Formats.address("0:0:0:0:0:0:0:1"));
        assertEquals("fd7a:115c:a1e0::53", Formats.address("fd7a:115c:a1e0:0:0:0:0:53"));
        assertEquals("fd7a:115c:a1e0:ab12:4843:cd96:6258:b240", Formats.address("fd7a:115c:a1e0:ab12:4843:cd96:6258:b240"));
        assertEquals("2001:db8::1:0:0:1", Formats.address("2001:db8:0:0:1:0:0:1"), "the first of two equal runs");
        assertEquals("2001:db8:0:1:1:1:1:1", Formats.address("2001:0db8:0:1:1:1:1:1"), "a single zero group stays");
        assertEquals("fe80::1%eth0", Formats.address("fe80:0:0:0:0:0:0:1%eth0"));
        assertEquals("::", Formats.address("0:0:0:0:0:0:0:0"));
        assertEquals("1::", Formats.address("1:0:0:0:0:0:0:0"));
        assertEquals("100.64.0.7", Formats.address("100.64.0.7"));
        assertEquals("[::1]:5432", Formats.endpoint("0:0:0:0:0:0:0:1", 5432));
        assertEquals("127.0.0.1:5432", Formats.endpoint("127.0.0.1", 5432));
    }
}
