package dev.verifull.app.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.stream.Collectors;

import dev.verifull.engine.RefusalReason;
import org.junit.jupiter.api.Test;

/** What a session row and the pane under the table say about who, what the client was told, and how it ended. */
class SessionDetailTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

    private static Map<String, String> facts(SessionDetail d) {
        return d.facts().stream().collect(Collectors.toMap(SessionDetail.Fact::id, SessionDetail.Fact::value));
    }

    @Test
    void whoSaysWhichKindOfParty() {
        assertEquals("alice@example.com", SessionRow.of(Records.live(1, "orders", t0, "app"), t0).who());
        SessionRow tagged = SessionRow.of(Records.refused(2, "orders", t0, Records.CI, RefusalReason.ACCESS_DENIED,
                "verifull: access denied", null, null), t0);
        assertEquals(SessionRow.WhoKind.TAGGED_DEVICE, tagged.whoKind());
        assertEquals("tag:ci, tag:deploy", tagged.who());
        SessionRow local = SessionRow.of(Records.refused(3, "orders", t0, Records.LOCAL, RefusalReason.HOSTNAME_MISMATCH,
                "verifull: mismatch", null, null), t0);
        assertEquals("local: dana", local.who());
        assertEquals("Local user dana on this computer", facts(SessionDetail.of(local, UTC)).get("who"));
    }

    @Test
    void aRefusalShowsWhatTheClientWasToldAndNoDurationOrBytes() {
        SessionRow row = SessionRow.of(Records.refused(4, "orders", t0, Records.ALICE, RefusalReason.HOSTNAME_MISMATCH,
                "verifull: upstream db.example.com:5432: certificate name mismatch", "Server certificate: CN=other\nNames: other",
                "Connect to a name the certificate lists."), t0.plusSeconds(60));
        assertNull(row.duration(), "a refused connection never became a session");
        assertNull(row.bytesToServer());
        assertNull(row.bytesToClient());
        assertEquals("fd7a:115c:a1e0::7", row.clientAddress(), "IPv6 in compact form");
        assertEquals("[fd7a:115c:a1e0::7]:40002", row.client());
        assertTrue(row.asText().contains("\t—\t—\t—\t"), row.asText());

        SessionDetail d = SessionDetail.of(row, UTC);
        assertEquals("orders #4 — refused: hostname mismatch (SQLSTATE 08001)", d.title());
        assertEquals("FATAL:  verifull: upstream db.example.com:5432: certificate name mismatch", d.told().message());
        assertEquals("DETAIL:  Server certificate: CN=other\nNames: other", d.told().detail());
        assertEquals("HINT:  Connect to a name the certificate lists.", d.told().hint());
        Map<String, String> f = facts(d);
        assertEquals("2026-03-01 10:00:00 UTC (after 40 ms)", f.get("ended"));
        assertTrue(!f.containsKey("bytes") && !f.containsKey("duration"), f.toString());
        assertTrue(d.asText().contains("HINT:  Connect to a name"), d.asText());
    }

    @Test
    void anEndedSessionShowsItsEndTimeReasonBytesEachWayAndTheServersProcess() {
        SessionRow row = SessionRow.of(Records.ended(5, "orders", t0, t0.plusSeconds(65)), t0.plusSeconds(100));
        SessionDetail d = SessionDetail.of(row, UTC);
        assertNull(d.told(), "nothing went wrong: nothing to tell");
        Map<String, String> f = facts(d);
        assertEquals("2026-03-01 10:01:05 UTC — client closed", f.get("ended"));
        assertEquals("1 m 05 s", f.get("duration"));
        assertEquals("500 B client → server · 8.8 KB server → client", f.get("bytes"));
        assertEquals("4243  (select * from pg_stat_activity where pid = 4243)", f.get("pid"));
        assertEquals(4243, row.backendPid());
    }
}
