package dev.verifull.app.tray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.verifull.app.sessions.Records;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import dev.verifull.manager.EngineStatus;
import dev.verifull.manager.ProfileStatus;

/** The small decisions behind the tray: which refusals become notifications, which icon shows. */
class TrayDecisionsTest {
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
}
