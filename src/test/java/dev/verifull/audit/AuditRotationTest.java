package dev.verifull.audit;

import static dev.verifull.audit.AuditTestSupport.assertWholeLines;
import static dev.verifull.audit.AuditTestSupport.awaitWritten;
import static dev.verifull.audit.AuditTestSupport.event;
import static dev.verifull.audit.AuditTestSupport.names;
import static dev.verifull.audit.AuditTestSupport.seq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditRotationTest {
    private static final Instant DAY1 = Instant.parse("2026-11-27T23:58:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(DAY1);
    private final AuditTestSupport.Errors errors = new AuditTestSupport.Errors();

    private static List<Long> seqs(List<AuditEvent> events) {
        return events.stream().map(AuditTestSupport::seq).collect(Collectors.toList());
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().collect(Collectors.toList());
    }

    private void writeRecords(AuditLog log, long from, long to) throws InterruptedException {
        for (long i = from; i < to; i++) {
            log.record(event(i, clock.instant()));
        }
        awaitWritten(log);
    }

    @Test
    void directoryModeStartsNumberedFilesWhenFull() throws Exception {
        long lineLength = AuditJson.toLine(event(10, DAY1)).length() + 1;
        AuditRotation rotation = AuditRotation.none().withMaxBytes(lineLength * 4);
        try (AuditLog log = AuditLog.open(dir, rotation, errors, clock)) {
            writeRecords(log, 10, 20);
        }

        assertEquals(List.of("audit-2026-11-27.1.jsonl", "audit-2026-11-27.2.jsonl", "audit-2026-11-27.jsonl"),
                names(dir));
        assertEquals(4, assertWholeLines(dir.resolve("audit-2026-11-27.jsonl")).size());
        assertEquals(4, assertWholeLines(dir.resolve("audit-2026-11-27.1.jsonl")).size());
        assertEquals(2, assertWholeLines(dir.resolve("audit-2026-11-27.2.jsonl")).size());
        assertEquals(range(10, 20), seqs(AuditReader.read(dir, AuditReader.Order.OLDEST_FIRST).events()));
        assertEquals(range(10, 20).stream().sorted((a, b) -> Long.compare(b, a)).collect(Collectors.toList()),
                seqs(AuditReader.read(dir, AuditReader.Order.NEWEST_FIRST).events()));
        assertEquals(List.of(), errors.messages);
    }

    @Test
    void fileModeRenamesTheFileBesideItWhenFull() throws Exception {
        Path file = dir.resolve("logs/audit.jsonl");
        long lineLength = AuditJson.toLine(event(10, DAY1)).length() + 1;
        AuditRotation rotation = AuditRotation.none().withMaxBytes(lineLength * 4);
        try (AuditLog log = AuditLog.open(file, rotation, errors, clock)) {
            writeRecords(log, 10, 20);
        }

        assertEquals(List.of("audit-2026-11-27.1.jsonl", "audit-2026-11-27.2.jsonl", "audit.jsonl"),
                names(file.getParent()));
        for (String name : names(file.getParent())) {
            assertTrue(Files.size(file.resolveSibling(name)) <= rotation.maxBytes(), name);
        }
        assertEquals(2, assertWholeLines(file).size(), "the active file holds the newest records");
        assertEquals(range(10, 20), seqs(AuditReader.read(file, AuditReader.Order.OLDEST_FIRST).events()));
        assertEquals(range(10, 14), seqs(AuditReader.readFile(file.resolveSibling("audit-2026-11-27.1.jsonl")).events()));
    }

    @Test
    void aRecordLargerThanTheLimitGetsAFileOfItsOwn() throws Exception {
        try (AuditLog log = AuditLog.open(dir, AuditRotation.none().withMaxBytes(10), errors, clock)) {
            writeRecords(log, 0, 3);
        }
        assertEquals(3, names(dir).size());
        assertEquals(range(0, 3), seqs(AuditReader.read(dir, AuditReader.Order.OLDEST_FIRST).events()));
    }

    @Test
    void directoryModeStartsAFileEachDay() throws Exception {
        try (AuditLog log = AuditLog.open(dir, AuditRotation.defaults(), errors, clock)) {
            writeRecords(log, 0, 3);
            clock.advance(Duration.ofMinutes(5)); // past midnight UTC, the clock's zone
            writeRecords(log, 3, 5);
            clock.advance(Duration.ofDays(2));
            writeRecords(log, 5, 6);
        }
        assertEquals(List.of("audit-2026-11-27.jsonl", "audit-2026-11-28.jsonl", "audit-2026-11-30.jsonl"), names(dir));
        assertEquals(range(3, 5), seqs(AuditReader.readFile(dir.resolve("audit-2026-11-28.jsonl")).events()));
        assertEquals(range(0, 6), seqs(AuditReader.read(dir, AuditReader.Order.OLDEST_FIRST).events()));
    }

    @Test
    void directoryModeGoesOnWithTodaysNewestFileAfterARestart() throws Exception {
        long lineLength = AuditJson.toLine(event(10, DAY1)).length() + 1;
        AuditRotation rotation = AuditRotation.defaults().withMaxBytes(lineLength * 3);
        try (AuditLog log = AuditLog.open(dir, rotation, errors, clock)) {
            writeRecords(log, 10, 14); // .jsonl holds 3, .1.jsonl holds 1
        }
        try (AuditLog log = AuditLog.open(dir, rotation, errors, clock)) {
            writeRecords(log, 14, 16);
        }
        assertEquals(List.of("audit-2026-11-27.1.jsonl", "audit-2026-11-27.jsonl"), names(dir));
        assertEquals(range(13, 16), seqs(AuditReader.readFile(dir.resolve("audit-2026-11-27.1.jsonl")).events()));
    }

    @Test
    void fileModeRenamesTheFileToItsDayWhenTheDateChanges() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file, AuditRotation.defaults(), errors, clock)) {
            writeRecords(log, 0, 2);
            clock.advance(Duration.ofMinutes(5));
            writeRecords(log, 2, 3);
        }
        assertEquals(List.of("audit-2026-11-27.1.jsonl", "audit.jsonl"), names(dir));
        assertEquals(range(0, 2), seqs(AuditReader.readFile(dir.resolve("audit-2026-11-27.1.jsonl")).events()));
        assertEquals(range(2, 3), seqs(AuditReader.readFile(file).events()));
    }

    @Test
    void fileModeRotatesAFileLeftFromAnEarlierDayBeforeWritingToIt() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, AuditJson.toLine(event(0, DAY1.minus(Duration.ofDays(3)))) + "\n");
        Files.setLastModifiedTime(file, FileTime.from(DAY1.minus(Duration.ofDays(3))));
        try (AuditLog log = AuditLog.open(file, AuditRotation.defaults(), errors, clock)) {
            writeRecords(log, 1, 2);
        }
        assertEquals(List.of("audit-2026-11-24.1.jsonl", "audit.jsonl"), names(dir));
        assertEquals(range(0, 2), seqs(AuditReader.read(file, AuditReader.Order.OLDEST_FIRST).events()));
    }

    @Test
    void retentionKeepsOnlyTheNewestFiles() throws Exception {
        long lineLength = AuditJson.toLine(event(10, DAY1)).length() + 1;
        AuditRotation rotation = AuditRotation.none().withMaxBytes(lineLength * 2).withMaxFiles(3);
        try (AuditLog log = AuditLog.open(dir, rotation, errors, clock)) {
            writeRecords(log, 10, 20); // five files' worth
        }
        assertEquals(List.of("audit-2026-11-27.2.jsonl", "audit-2026-11-27.3.jsonl", "audit-2026-11-27.4.jsonl"),
                names(dir));
        assertEquals(range(14, 20), seqs(AuditReader.read(dir, AuditReader.Order.OLDEST_FIRST).events()));
    }

    @Test
    void retentionInFileModeCountsTheActiveFile() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file, AuditRotation.defaults().withMaxFiles(2), errors, clock)) {
            for (int day = 0; day < 4; day++) {
                writeRecords(log, day, day + 1);
                clock.advance(Duration.ofDays(1));
            }
        }
        assertEquals(List.of("audit-2026-11-29.1.jsonl", "audit.jsonl"), names(dir));
        assertEquals(range(2, 4), seqs(AuditReader.read(file, AuditReader.Order.OLDEST_FIRST).events()));
    }

    @Test
    void readerIgnoresUnrelatedFiles() throws Exception {
        try (AuditLog log = AuditLog.open(dir, AuditRotation.defaults(), errors, clock)) {
            writeRecords(log, 0, 1);
        }
        Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Files.writeString(dir.resolve("audit-x.jsonl"), "hello\n");
        AuditReader.Result read = AuditReader.read(dir, AuditReader.Order.OLDEST_FIRST);
        assertEquals(1, read.events().size());
        assertEquals(List.of(), read.skipped());
    }
}
