package dev.verifull.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.google.gson.JsonParser;

final class AuditTestSupport {
    private AuditTestSupport() {}

    /** Collects what the log reports, for assertions. */
    static final class Errors implements Consumer<String> {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void accept(String message) {
            messages.add(message);
        }

        boolean any(String fragment) {
            return messages.stream().anyMatch(m -> m.contains(fragment));
        }
    }

    static AuditEvent event(long seq) {
        return event(seq, Instant.now());
    }

    static AuditEvent event(long seq, Instant time) {
        return AuditEvent.builder(AuditEvent.SESSION_START, "s-" + seq, "prod")
                .time(time)
                .put(AuditFields.CLIENT_ADDRESS, "100.64.0." + (seq % 250))
                .put(AuditFields.CLIENT_PORT, 40000 + (int) (seq % 20000))
                .put(AuditFields.USER, "alice")
                .put("seq", seq)
                .build();
    }

    static long seq(AuditEvent event) {
        return (Long) event.get("seq");
    }

    static void awaitWritten(AuditLog log) throws InterruptedException {
        assertTrue(log.awaitWritten(Duration.ofSeconds(30)), "records written");
    }

    /** File names in a directory, sorted. */
    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** Asserts every line of the file is a complete JSON object ending in a newline; returns the lines. */
    static List<String> assertWholeLines(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(content.isEmpty() || content.endsWith("\n"), file + " ends with a newline");
        List<String> lines = content.lines().collect(Collectors.toList());
        for (String line : lines) {
            assertTrue(JsonParser.parseString(line).isJsonObject(), "JSON object: " + line);
        }
        assertEquals(lines.size(), content.chars().filter(c -> c == '\n').count());
        return lines;
    }
}
