package dev.verifull.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.verifull.app.sessions.Records;
import dev.verifull.engine.ClientTransport;
import dev.verifull.engine.Outcome;
import dev.verifull.engine.PeerIdentity;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionRecord;

/** Every client-controlled string in a session line is printed with its control characters escaped. */
class SessionLogLineTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void clientStringsCannotForgeLinesOrReachTheTerminal() {
        PeerIdentity who = new PeerIdentity("tailscale", "mallory@example.com", "Mallory",
                "laptop\n.ts.net", List.of(), "linux", "n1");
        SessionRecord r = new SessionRecord(7, "orders", "session", "100.64.0.7", 51000, ClientTransport.TLS, "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", who, "denied", "db.example.com", 5432, null, null, null, null, "3.0",
                "alice\n2026-03-01T10:00:01Z verifull: orders #8 start who=admin", "orders\r", "\u001b[31mred\u001b[0m",
                Outcome.REFUSED, RefusalReason.ACCESS_DENIED, "28000", "verifull: access denied:\nforged\u2028line",
                T0, T0.plusMillis(5), 0, 0, null);
        String line = SessionLogLine.format(new SessionEvent(SessionEvent.Type.REFUSED, r));

        assertEquals(1, line.lines().count(), line);
        assertFalse(line.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == 0x2028), line);
        assertTrue(line.contains("machine=laptop\\n.ts.net"), line);
        assertTrue(line.contains("user=\"alice\\n2026-03-01T10:00:01Z verifull: orders #8 start who=admin\""), line);
        assertTrue(line.contains("db=orders\\r"), line);
        assertTrue(line.contains("app=\\x1b[31mred\\x1b[0m"), line);
        assertTrue(line.contains("message=\"verifull: access denied:\\nforged\\u2028line\""), line);
    }

    @Test
    void anOrdinaryLineIsUnchanged() {
        String line = SessionLogLine.format(new SessionEvent(SessionEvent.Type.START, Records.live(3, "orders", T0, "alice")));
        assertEquals("verifull: orders #3 start client=100.64.0.7:51003 who=alice@example.com machine=laptop user=alice"
                + " db=orders app=psql via=TLS/TLSv1.3 upstream-tls=TLSv1.3", line);
    }
}
