package dev.verifull.audit;

import static dev.verifull.audit.AuditTestSupport.awaitWritten;
import static dev.verifull.audit.AuditTestSupport.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonParser;

/** Stream mode: a FIFO or device (a container's /dev/stdout) is appended to, never rotated or renamed. */
class AuditStreamTest {
    @TempDir
    Path dir;

    @Test
    void aFifoGetsEveryRecordAndIsNeverRotatedAway() throws Exception {
        Path fifo = dir.resolve("audit.pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        // The reader must be there before the writer opens the FIFO.
        CompletableFuture<List<String>> read = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader in = Files.newBufferedReader(fifo, StandardCharsets.UTF_8)) {
                return in.lines().collect(Collectors.toList());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        AuditTestSupport.Errors errors = new AuditTestSupport.Errors();
        // 200 bytes: a file would be rotated (renamed) after the first record or two.
        try (AuditLog log = AuditLog.open(fifo, AuditRotation.defaults().withMaxBytes(200), errors)) {
            for (int i = 0; i < 20; i++) log.record(event(i));
            awaitWritten(log);
        }
        List<String> lines = read.get(30, TimeUnit.SECONDS);
        assertEquals(20, lines.size(), "every record came through the FIFO: " + lines + " " + errors.messages);
        for (int i = 0; i < 20; i++) {
            assertEquals(i, JsonParser.parseString(lines.get(i)).getAsJsonObject().get("seq").getAsLong());
        }
        assertEquals(List.of("audit.pipe"), AuditTestSupport.names(dir), "nothing renamed or created beside it");
        assertTrue(Files.isRegularFile(fifo) == false && Files.exists(fifo), "still the FIFO");
        assertTrue(errors.messages.isEmpty(), errors.messages.toString());
    }

    @Test
    void devicePathsAreStreams() {
        assertTrue(StreamSink.isStream(Path.of("/dev/stdout")));
        assertTrue(StreamSink.isStream(Path.of("/dev/stderr")));
        assertTrue(!StreamSink.isStream(dir.resolve("audit.jsonl")), "a file to be created is a file");
        assertTrue(!StreamSink.isStream(dir), "a directory is directory mode");
    }
}
