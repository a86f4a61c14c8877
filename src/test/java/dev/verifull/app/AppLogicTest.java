package dev.verifull.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.verifull.app.sessions.Records;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import dev.verifull.manager.EngineStatus;
import dev.verifull.manager.ProfileStatus;
import dev.verifull.tailscale.BackendState;
import dev.verifull.tailscale.TailscaleStatus;

/** The small decisions behind the tray, the status line and the tables. */
class AppLogicTest {
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void notificationsComeOncePerCauseNotPerConnection() {
        RefusalNotices notices = new RefusalNotices();
        SessionEvent mismatch = new SessionEvent(SessionEvent.Type.REFUSED,
                Records.refused(1, "orders", t0, RefusalReason.HOSTNAME_MISMATCH, "certificate does not match db.example.com"));
        var first = notices.consider(mismatch);
        assertTrue(first.isPresent());
        assertEquals("orders: upstream not verified", first.get().title());
        assertFalse(notices.consider(new SessionEvent(SessionEvent.Type.REFUSED,
                Records.refused(2, "orders", t0, RefusalReason.HOSTNAME_MISMATCH, "certificate does not match db.example.com"))).isPresent());
        var denied = notices.consider(new SessionEvent(SessionEvent.Type.REFUSED,
                Records.refused(3, "orders", t0, RefusalReason.ACCESS_DENIED, "verifull: access denied: not in the rules")));
        assertEquals("orders: access denied", denied.orElseThrow().title());
        assertEquals("alice@example.com: access denied: not in the rules", denied.get().text());
        var named = notices.consider(new SessionEvent(SessionEvent.Type.REFUSED,
                Records.refused(5, "orders", t0, RefusalReason.ACCESS_DENIED, "verifull: access denied: alice@example.com on laptop")));
        assertEquals("access denied: alice@example.com on laptop", named.orElseThrow().text(), "not named twice");
        assertFalse(notices.consider(new SessionEvent(SessionEvent.Type.REFUSED,
                Records.refused(4, "orders", t0, RefusalReason.CLIENT_TIMEOUT, "slow client"))).isPresent(), "client mistakes are not news");
        notices.forget("orders");
        assertTrue(notices.consider(mismatch).isPresent());
    }

    @Test
    void notificationsShowClientChosenNamesEscaped() {
        var notice = new RefusalNotices().consider(new SessionEvent(SessionEvent.Type.REFUSED,
                Records.refused(1, "orders", t0, RefusalReason.ACCESS_DENIED,
                        "verifull: access denied: mallory\n2026-03-01 forged line \u001b[31mon laptop")));
        assertEquals("alice@example.com: access denied: mallory\\n2026-03-01 forged line \\x1b[31mon laptop", notice.orElseThrow().text());
    }

    @Test
    void overallStateIsErrorBeforeRunningBeforeIdle() {
        assertEquals(OverallState.IDLE, OverallState.of(List.of(ProfileStatus.stopped("a"))));
        assertEquals(OverallState.RUNNING, OverallState.of(List.of(ProfileStatus.stopped("a"),
                new ProfileStatus("b", EngineStatus.RUNNING, null, List.of()))));
        assertEquals(OverallState.ERROR, OverallState.of(List.of(new ProfileStatus("b", EngineStatus.RUNNING, null, List.of()),
                new ProfileStatus("c", EngineStatus.ERROR, "port in use", List.of()))));
    }

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
    }

    @Test
    void darkGtkThemes() {
        assertTrue(SystemAppearance.darkGtkTheme("Adwaita:dark"));
        assertTrue(SystemAppearance.darkGtkTheme("'Yaru-dark'"));
        assertFalse(SystemAppearance.darkGtkTheme("Adwaita"));
        assertFalse(SystemAppearance.darkGtkTheme(null));
    }
}
