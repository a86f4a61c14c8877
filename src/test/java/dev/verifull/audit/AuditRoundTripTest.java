package dev.verifull.audit;

import static dev.verifull.audit.AuditTestSupport.assertWholeLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditRoundTripTest {
    @TempDir
    Path dir;

    private static final String TRICKY = "quote \" backslash \\ newline \n return \r tab \t nul \u0000"
            + " line-sep \u2028 para-sep \u2029 html <b>&amp;</b> = ' unicode é 日本語 🐘";

    private static AuditEvent start() {
        return AuditEvent.builder(AuditEvent.SESSION_START, "7f3a", "prod-db")
                .time(Instant.parse("2026-11-28T10:15:30.123456Z"))
                .put(AuditFields.CLIENT_ADDRESS, "100.101.102.103")
                .put(AuditFields.CLIENT_PORT, 51234)
                .put(AuditFields.CLIENT_TRANSPORT, "tls")
                .put(AuditFields.CLIENT_TLS_VERSION, (String) null)
                .put(AuditFields.USER, "alice")
                .put(AuditFields.DATABASE, "orders")
                .put(AuditFields.APPLICATION_NAME, TRICKY)
                .put(AuditFields.TAILSCALE_TAGS, Arrays.asList("tag:dev", null, "tag:db"))
                .put("ratio", 0.25)
                .put("big", Long.MAX_VALUE)
                .put("verified", true)
                .put("none", List.of())
                .build();
    }

    @Test
    void recordsRoundTripWithHeaderFirstFieldsInOrderAndNullsOmitted() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditEvent start = start();
        AuditEvent end = AuditEvent.builder(AuditEvent.SESSION_END, "7f3a", "prod-db")
                .put(AuditFields.END_REASON, "client closed")
                .put(AuditFields.BYTES_FROM_CLIENT, 1234L)
                .put(AuditFields.BYTES_TO_CLIENT, 987654)
                .put(AuditFields.DURATION_MS, 61000)
                .build();
        AuditEvent refused = AuditEvent.builder(AuditEvent.SESSION_REFUSED, "7f3b", "prod-db")
                .put(AuditFields.OUTCOME, "denied")
                .put(AuditFields.SQLSTATE, "28000")
                .put(AuditFields.MESSAGE, TRICKY)
                .build();

        try (AuditLog log = AuditLog.open(file, AuditRotation.none(), new AuditTestSupport.Errors())) {
            log.record(start);
            log.record(end);
            log.record(refused);
        }

        List<String> lines = assertWholeLines(file);
        assertEquals(3, lines.size(), "one line per record, newlines inside values escaped");
        assertTrue(lines.get(0).startsWith("{\"schema\":1,\"time\":\"2026-11-28T10:15:30.123Z\","
                + "\"event\":\"session.start\",\"session\":\"7f3a\",\"engine\":\"prod-db\","), lines.get(0));
        assertTrue(lines.get(0).contains("<b>&amp;</b> = '"), "no HTML escaping");
        assertTrue(lines.get(0).contains("日本語 🐘"), "unicode written as itself");

        JsonObject json = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals(List.of("schema", "time", "event", "session", "engine",
                        "client_address", "client_port", "client_transport", "user", "database",
                        "application_name", "tailscale_tags", "ratio", "big", "verified", "none"),
                new ArrayList<>(json.keySet()));
        assertFalse(json.has(AuditFields.CLIENT_TLS_VERSION), "null omitted");
        assertEquals(TRICKY, json.get("application_name").getAsString());

        AuditReader.Result read = AuditReader.read(file, AuditReader.Order.OLDEST_FIRST);
        assertEquals(List.of(), read.skipped());
        assertEquals(List.of(start, end, refused), read.events());
        AuditEvent back = read.events().get(0);
        assertEquals(new ArrayList<>(start.fields().keySet()), new ArrayList<>(back.fields().keySet()));
        assertEquals(Instant.parse("2026-11-28T10:15:30.123Z"), back.time());
        assertEquals(51234L, back.get(AuditFields.CLIENT_PORT));
        assertEquals(List.of("tag:dev", "tag:db"), back.get(AuditFields.TAILSCALE_TAGS));
        assertEquals(Long.MAX_VALUE, back.get("big"));
        assertEquals(0.25, back.get("ratio"));
        assertEquals(true, back.get("verified"));
        assertNull(back.get(AuditFields.CLIENT_TLS_VERSION));

        assertEquals(List.of(refused, end, start),
                AuditReader.read(file, AuditReader.Order.NEWEST_FIRST).events());
    }

    @Test
    void timeAlwaysHasThreeFractionDigits() {
        AuditEvent event = AuditEvent.builder(AuditEvent.SESSION_END, "s", "e")
                .time(Instant.parse("2026-01-02T03:04:05Z")).build();
        assertTrue(AuditJson.toLine(event).contains("\"time\":\"2026-01-02T03:04:05.000Z\""));
    }

    @Test
    void headerNamesCannotBeUsedAsFields() {
        AuditEvent.Builder builder = AuditEvent.builder(AuditEvent.SESSION_START, "s", "e");
        for (String reserved : List.of("schema", "time", "event", "session", "engine", "")) {
            assertThrows(IllegalArgumentException.class, () -> builder.put(reserved, "x"));
        }
        assertThrows(IllegalArgumentException.class, () -> builder.put("nan", Double.NaN));
    }

    @Test
    void parserRejectsWhatIsNotAWholeRecord() {
        String good = AuditJson.toLine(AuditTestSupport.event(1));
        assertEquals(1L, AuditTestSupport.seq(AuditJson.parse(good)));
        for (String bad : List.of(good.substring(0, good.length() - 1), good + "x", "{}", "[1]", "hello",
                "{schema:1}", good.replace("\"engine\":\"prod\"", "\"engine\":7"))) {
            assertThrows(IllegalArgumentException.class, () -> AuditJson.parse(bad), bad);
        }
    }
}
