package dev.verifull.app.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionRecord;
import dev.verifull.sessions.SessionFeed;
import org.junit.jupiter.api.Test;

class SessionsViewModelTest {
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
    private final SessionFeed feed = new SessionFeed();
    private final List<SessionRecord> live = new CopyOnWriteArrayList<>();
    private final List<String> ended = new ArrayList<>();
    private final SessionsViewModel vm = new SessionsViewModel(feed, (profile, id) -> ended.add(profile + "#" + id));

    SessionsViewModelTest() {
        feed.addLiveSource("orders", () -> live);
    }

    @Test
    void nothingChangedAndNothingLiveMeansNoWork() {
        assertTrue(vm.refresh(t0));
        assertFalse(vm.refresh(t0.plusSeconds(1)));
        feed.onSessionEvent(new SessionEvent(SessionEvent.Type.REFUSED,
                Records.refused(1, "orders", t0, RefusalReason.HOSTNAME_MISMATCH, "name mismatch")));
        assertTrue(vm.refresh(t0.plusSeconds(2)));
        assertEquals(1, vm.rows().size());
        assertTrue(vm.rows().get(0).problem());
        assertEquals("hostname mismatch", vm.rows().get(0).outcome());
    }

    @Test
    void liveSessionsRefreshEveryTimeSoDurationsMove() {
        live.add(Records.live(7, "orders", t0, "app"));
        feed.onSessionEvent(new SessionEvent(SessionEvent.Type.START, live.get(0)));
        vm.refresh(t0.plusSeconds(5));
        assertEquals(Duration.ofSeconds(5), vm.rows().get(0).duration());
        assertEquals(1, vm.liveCountProperty().get());
        assertTrue(vm.refresh(t0.plusSeconds(9)), "a live session keeps the table moving");
        assertEquals(Duration.ofSeconds(9), vm.rows().get(0).duration());
        assertEquals("alice@example.com", vm.rows().get(0).who());
        assertEquals("laptop", vm.rows().get(0).machine());
        assertEquals("TLSv1.3", vm.rows().get(0).clientTls());
    }

    @Test
    void filtersByTextProfileAndOutcome() {
        feed.addLiveSource("billing", () -> List.of(Records.live(9, "billing", t0, "reporter")));
        live.add(Records.live(7, "orders", t0, "app"));
        feed.onSessionEvent(new SessionEvent(SessionEvent.Type.END, Records.ended(3, "orders", t0.minusSeconds(60), t0.minusSeconds(30))));
        feed.onSessionEvent(new SessionEvent(SessionEvent.Type.REFUSED,
                Records.refused(4, "orders", t0, RefusalReason.CERTIFICATE_UNTRUSTED, "certificate not trusted")));
        vm.refresh(t0);
        assertEquals(4, vm.visibleRows().size());
        vm.text.set("REPORTER");
        assertEquals(List.of("billing"), vm.visibleRows().stream().map(SessionRow::profile).toList());
        vm.text.set("");
        vm.profile.set("orders");
        assertEquals(3, vm.visibleRows().size());
        vm.outcome.set(OutcomeFilter.PROBLEMS);
        assertEquals(List.of(4L), vm.visibleRows().stream().map(r -> r.record().id()).toList());
        vm.outcome.set(OutcomeFilter.LIVE);
        assertEquals(List.of(7L), vm.visibleRows().stream().map(r -> r.record().id()).toList());
        vm.text.set("not trusted");
        assertTrue(vm.visibleRows().isEmpty());
    }

    @Test
    void clearEndedKeepsLiveSessions() {
        live.add(Records.live(7, "orders", t0, "app"));
        feed.onSessionEvent(new SessionEvent(SessionEvent.Type.END, Records.ended(3, "orders", t0.minusSeconds(60), t0)));
        vm.refresh(t0);
        assertEquals(2, vm.rows().size());
        vm.clearEnded(t0);
        assertEquals(List.of(7L), vm.rows().stream().map(r -> r.record().id()).toList());
    }

    @Test
    void onlyLiveSessionsCanBeEnded() {
        live.add(Records.live(7, "orders", t0, "app"));
        feed.onSessionEvent(new SessionEvent(SessionEvent.Type.END, Records.ended(3, "orders", t0.minusSeconds(60), t0)));
        vm.refresh(t0);
        for (SessionRow row : vm.rows()) vm.end(row);
        assertEquals(List.of("orders#7"), ended);
    }

    @Test
    void theProfileChoiceFollowsTheSavedProfiles() {
        vm.setProfileNames(List.of("orders", "billing"));
        vm.profile.set("billing");
        vm.setProfileNames(List.of("orders"));
        assertEquals(List.of(SessionsViewModel.ALL_PROFILES, "orders"), vm.profileChoices());
        assertEquals(SessionsViewModel.ALL_PROFILES, vm.profile.get());
    }

    @Test
    void aRowCopiesAsTabSeparatedTextWithTheMessage() {
        SessionRow row = SessionRow.of(Records.refused(4, "orders", t0, RefusalReason.CERTIFICATE_UNTRUSTED, "not trusted"), t0);
        String[] cells = row.asText().split("\t");
        assertEquals("refused", cells[0]);
        assertEquals("orders", cells[1]);
        assertEquals("not trusted", cells[cells.length - 1]);
    }
}
