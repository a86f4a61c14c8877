package dev.verifull.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Both line formats with strings a client or a server chose: one record stays one line (text) or one valid object (JSON). */
class LogFormatTest {
    private static final Pattern RECORD_START = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ");
    /** A user name built to forge a second record and colour the terminal. */
    private static final String HOSTILE = "mallory\n2026-12-03T10:00:00.000Z ERROR [orders] forged \u001b[31mred\u001b[0m \u202e"
            + "\"quoted\" back\\slash";

    private static LogRecord record(Level level, String message, String profile, Throwable thrown) {
        Log.ProfileRecord r = new Log.ProfileRecord(level, message, profile);
        r.setLoggerName("dev.verifull.engine.pg.ClientStartupHandler");
        r.setInstant(Instant.parse("2026-12-03T19:01:02.345Z"));
        r.setThrown(thrown);
        return r;
    }

    @Test
    void aTextLineHasTimeLevelProfileAndMessage() {
        String line = LogFormat.text("serve").format(record(Level.INFO, "I/O nio, 1 event loop", "orders", null));
        assertEquals("2026-12-03T19:01:02.345Z INFO  [orders] I/O nio, 1 event loop" + System.lineSeparator(), line);
        String other = LogFormat.text("serve").format(record(Level.WARNING, "x", null, null));
        assertTrue(other.startsWith("2026-12-03T19:01:02.345Z WARN  [serve] x"), "the process's name when the record has none: " + other);
    }

    @Test
    void aHostileStringCannotForgeATextLine() {
        IllegalStateException thrown = new IllegalStateException("bad user " + HOSTILE, new RuntimeException("cause\n" + HOSTILE));
        String out = LogFormat.text("serve").format(record(Level.SEVERE, "refused " + HOSTILE, "evil\nprofile", thrown));

        assertFalse(out.contains("\u001b") || out.contains("\u202e"), out);
        List<String> lines = out.lines().toList();
        assertTrue(RECORD_START.matcher(lines.get(0)).find(), out);
        assertTrue(lines.get(0).contains("ERROR [evil\\nprofile] refused mallory\\n2026-12-03T10:00:00.000Z ERROR [orders] forged \\x1b[31mred"), out);
        assertTrue(lines.size() > 3, "the stack trace follows: " + out);
        for (String l : lines.subList(1, lines.size())) {
            assertTrue(l.startsWith("\t"), "a trace line is indented, never a record: " + l);
        }
        assertEquals(1, lines.stream().filter(l -> RECORD_START.matcher(l).find()).count(), out);
        assertTrue(out.contains("\tjava.lang.IllegalStateException: bad user mallory\\n2026"), out);
        assertTrue(out.contains("\tCaused by: java.lang.RuntimeException: cause\\nmallory\\n"), out);
        assertTrue(out.contains("\tat dev.verifull.logging.LogFormatTest.aHostileStringCannotForgeATextLine"), out);
    }

    @Test
    void aJsonLineIsOneValidObjectEvenForHostileStrings() {
        IllegalStateException thrown = new IllegalStateException("bad user " + HOSTILE);
        String out = LogFormat.json("serve").format(record(Level.SEVERE, "refused " + HOSTILE, "orders\"}", thrown));

        assertEquals(1, out.lines().count(), out);
        assertFalse(out.chars().anyMatch(c -> c < 0x20 && c != '\n') || out.contains("\u202e"), out);
        JsonObject o = JsonParser.parseString(out).getAsJsonObject();
        assertEquals("2026-12-03T19:01:02.345Z", o.get("time").getAsString());
        assertEquals("ERROR", o.get("level").getAsString());
        assertEquals("dev.verifull.engine.pg.ClientStartupHandler", o.get("logger").getAsString());
        assertEquals("orders\"}", o.get("profile").getAsString());
        assertEquals("refused mallory\\n2026-12-03T10:00:00.000Z ERROR [orders] forged \\x1b[31mred\\x1b[0m \\u202e\"quoted\" back\\slash",
                o.get("message").getAsString());
        String exception = o.get("exception").getAsString();
        assertTrue(exception.startsWith("java.lang.IllegalStateException: bad user mallory\\n2026"), exception);
        assertTrue(exception.contains("\n\tat dev.verifull.logging.LogFormatTest."), exception);

        JsonObject plain = JsonParser.parseString(LogFormat.json("serve").format(record(Level.FINE, "ok", null, null))).getAsJsonObject();
        assertEquals("DEBUG", plain.get("level").getAsString());
        assertEquals("serve", plain.get("profile").getAsString());
        assertFalse(plain.has("exception"));
    }

    @Test
    void foreignLoggersAreNamedInText() {
        LogRecord r = new LogRecord(Level.WARNING, "An exceptionCaught() event was fired");
        r.setLoggerName("io.netty.channel.DefaultChannelPipeline");
        r.setInstant(Instant.parse("2026-12-03T19:01:02.345Z"));
        assertEquals("2026-12-03T19:01:02.345Z WARN  [app] io.netty.channel.DefaultChannelPipeline: An exceptionCaught() event was fired"
                + System.lineSeparator(), LogFormat.text("app").format(r));
    }
}
