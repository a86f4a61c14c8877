package dev.verifull.app.tray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import dev.verifull.app.profiles.ProfileState;
import dev.verifull.app.sessions.Records;
import dev.verifull.connect.ConnectionString;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import org.junit.jupiter.api.Test;

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

    /** Moved by hand. */
    private static final class MutableClock extends java.time.Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override public ZoneId getZone() { return ZoneId.of("UTC"); }
        @Override public java.time.Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void notificationsShowClientChosenNamesEscaped() {
        var notice = new RefusalNotices().consider(new SessionEvent(SessionEvent.Type.REFUSED,
                Records.refused(1, "orders", t0, RefusalReason.ACCESS_DENIED,
                        "verifull: access denied: mallory\n2026-03-01 forged line \u001b[31mon laptop")));
        assertEquals("alice@example.com: access denied: mallory\\n2026-03-01 forged line \\x1b[31mon laptop", notice.orElseThrow().text());
    }

    @Test
    void repeatsOfACauseAreToldAsASummaryOnceItHasBeenQuietNotDropped() {
        MutableClock clock = new MutableClock(t0);
        RefusalNotices notices = new RefusalNotices(clock, Duration.ofSeconds(60), ZoneId.of("UTC"));
        SessionEvent first = new SessionEvent(SessionEvent.Type.REFUSED,
                Records.refused(1, "orders", t0, RefusalReason.HOSTNAME_MISMATCH, "verifull: certificate name mismatch"));
        var told = notices.consider(first).orElseThrow();
        assertEquals(new RefusalNotices.Notice("orders: upstream not verified", "certificate name mismatch", "orders", 1), told,
                "a click opens session 1");
        for (long id = 2; id <= 4; id++) {
            clock.set(t0.plusSeconds(10 * id));
            assertFalse(notices.consider(new SessionEvent(SessionEvent.Type.REFUSED, Records.refused(id, "orders", t0,
                    RefusalReason.HOSTNAME_MISMATCH, "verifull: certificate name mismatch"))).isPresent(), "not one per client");
        }
        clock.set(t0.plusSeconds(59));
        assertEquals(List.of(), notices.due(), "quiet for less than a minute");
        clock.set(t0.plusSeconds(61));
        assertEquals(List.of(new RefusalNotices.Notice("orders: upstream not verified",
                "3 more refused since 10:00: certificate name mismatch", "orders", 4)), notices.due(), "the latest session opens");
        assertEquals(List.of(), notices.due(), "told once");
        clock.set(t0.plusSeconds(200));
        var later = notices.consider(new SessionEvent(SessionEvent.Type.REFUSED, Records.refused(9, "orders", t0,
                RefusalReason.HOSTNAME_MISMATCH, "verifull: certificate name mismatch")));
        assertEquals("1 more refused since 10:03: certificate name mismatch", later.orElseThrow().text(),
                "after a quiet minute a repeat is told at once");
    }

    @Test
    void overallStateIsErrorBeforeUnverifiedBeforeRunningBeforeIdle() {
        assertEquals(OverallState.IDLE, OverallState.of(List.of(ProfileState.STOPPED)));
        assertEquals(OverallState.RUNNING, OverallState.of(List.of(ProfileState.STOPPED, ProfileState.RUNNING)));
        assertEquals(OverallState.UNVERIFIED, OverallState.of(List.of(ProfileState.RUNNING, ProfileState.UNVERIFIED)));
        assertEquals(OverallState.ERROR, OverallState.of(List.of(ProfileState.RUNNING, ProfileState.UNVERIFIED, ProfileState.ERROR)));
    }

    @Test
    void thePsqlCommandOfARunningProfileIsInTheMenuItselfAndAnUnverifiedOneSaysWhy() {
        ConnectionString psql = ConnectionString.of(ConnectionString.Kind.PSQL_COMMAND, "psql", "psql \"host=127.0.0.1 port=6432\"", null);
        ConnectionString jdbc = ConnectionString.of(ConnectionString.Kind.JDBC_URL, "JDBC URL", "jdbc:postgresql://127.0.0.1:6432/app", null);
        TrayMenuModel model = new TrayMenuModel(OverallState.UNVERIFIED, List.of(
                new TrayMenuModel.Entry("orders", ProfileState.RUNNING, null, true, List.of(psql, jdbc)),
                new TrayMenuModel.Entry("billing", ProfileState.UNVERIFIED, "Certificate name mismatch: it is issued for localhost.",
                        true, List.of(psql)),
                new TrayMenuModel.Entry("staging", ProfileState.STOPPED, null, false, List.of(psql))));
        List<TrayMenuModel.Item> top = model.menu();
        assertTrue(top.contains(new TrayMenuModel.Action("Copy psql command: orders", new TrayMenuModel.Command.Copy(psql.text()))),
                "one click in the menu: " + top);
        assertTrue(top.contains(new TrayMenuModel.Action("Copy psql command: billing", new TrayMenuModel.Command.Copy(psql.text()))));
        assertFalse(top.stream().anyMatch(i -> i instanceof TrayMenuModel.Action a && a.label().endsWith("staging")),
                "a stopped profile has nothing to connect to");
        assertEquals(new TrayMenuModel.Note("Verifull — 2 of 3 profiles running · 1 upstream not verified"), top.get(0),
                "the status as the menu's first line (the Linux tray's tooltip would cover the menu)");
        TrayMenuModel.Submenu billing = (TrayMenuModel.Submenu) top.stream()
                .filter(i -> i instanceof TrayMenuModel.Submenu sub && sub.label().startsWith("billing")).findFirst().orElseThrow();
        assertEquals("billing — Running — upstream not verified", billing.label());
        assertEquals(new TrayMenuModel.Note("Certificate name mismatch: it is issued for localhost."), billing.items().get(0));
        assertTrue(billing.items().contains(new TrayMenuModel.Action("Test upstream again", new TrayMenuModel.Command.TestAgain("billing"))));
        assertTrue(billing.items().contains(new TrayMenuModel.Action("Edit…", new TrayMenuModel.Command.Edit("billing"))));
    }
}
