package dev.verifull.audit;

import static dev.verifull.audit.AuditTestSupport.assertWholeLines;
import static dev.verifull.audit.AuditTestSupport.awaitWritten;
import static dev.verifull.audit.AuditTestSupport.event;
import static dev.verifull.audit.AuditTestSupport.seq;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;

    @Test
    void recordsFromManyThreadsAreEachWrittenExactlyOnceAsWholeLines() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int threads = 8;
        int perThread = 2_500;
        AuditTestSupport.Errors errors = new AuditTestSupport.Errors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (AuditLog log = AuditLog.open(file, AuditRotation.none(), errors)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long base = t * 1_000_000L;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        log.record(event(base + i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            awaitWritten(log);
        } finally {
            pool.shutdownNow();
        }

        assertEquals(threads * perThread, assertWholeLines(file).size());
        AuditReader.Result read = AuditReader.read(file, AuditReader.Order.OLDEST_FIRST);
        assertEquals(List.of(), read.skipped());
        Map<Long, Long> lastSeqByThread = new HashMap<>();
        for (AuditEvent e : read.events()) {
            long thread = seq(e) / 1_000_000L;
            long previous = lastSeqByThread.getOrDefault(thread, thread * 1_000_000L - 1);
            assertEquals(previous + 1, seq(e), "each thread's records once, in the order it recorded them");
            lastSeqByThread.put(thread, seq(e));
        }
        assertEquals(threads, lastSeqByThread.size());
        lastSeqByThread.forEach((thread, last) -> assertEquals(thread * 1_000_000L + perThread - 1, last));
        assertEquals(List.of(), errors.messages);
    }

    @Test
    void closeWritesEverythingQueuedFirst() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = AuditLog.open(file, AuditRotation.none(), new AuditTestSupport.Errors());
        LongStream.range(0, 20_000).forEach(i -> log.record(event(i)));
        assertTrue(log.close(Duration.ofSeconds(30)));

        List<AuditEvent> events = AuditReader.read(file, AuditReader.Order.OLDEST_FIRST).events();
        assertEquals(20_000, events.size());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, seq(events.get(i)));
        }
    }

    @Test
    void recordAfterCloseIsReportedNotThrown() throws Exception {
        AuditTestSupport.Errors errors = new AuditTestSupport.Errors();
        AuditLog log = AuditLog.open(dir.resolve("audit.jsonl"), AuditRotation.none(), errors);
        log.close();
        assertDoesNotThrow(() -> log.record(event(1)));
        assertDoesNotThrow(() -> log.record(null));
        assertTrue(errors.any("closed; session.start record of session s-1 was not written"), errors.messages.toString());
        assertTrue(log.close(Duration.ofSeconds(1)), "closing twice is harmless");
    }

    @Test
    void tornLastLineFromACrashIsClosedOffAndSkippedByTheReader() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String whole = AuditJson.toLine(event(1)) + "\n";
        String fragment = AuditJson.toLine(event(2)).substring(0, 40);
        Files.writeString(file, whole + fragment, StandardCharsets.UTF_8);

        AuditTestSupport.Errors errors = new AuditTestSupport.Errors();
        try (AuditLog log = AuditLog.open(file, AuditRotation.none(), errors)) {
            log.record(event(3));
        }

        assertTrue(errors.any("incomplete line"), errors.messages.toString());
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        assertEquals(fragment, lines.get(1), "the fragment is left alone, on a line of its own");
        assertEquals(3L, seq(AuditJson.parse(lines.get(2))), "the next record is whole on the next line");

        AuditReader.Result read = AuditReader.read(file, AuditReader.Order.OLDEST_FIRST);
        assertEquals(List.of(1L, 3L), read.events().stream().map(AuditTestSupport::seq).toList());
        assertEquals(1, read.skipped().size());
        assertEquals(2, read.skipped().get(0).line());
        assertEquals(file.toAbsolutePath(), read.skipped().get(0).file());
    }

    @Test
    void readerReportsATornLastLineItFinds() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String fragment = AuditJson.toLine(event(2)).substring(0, 25);
        Files.writeString(file, AuditJson.toLine(event(1)) + "\ngarbage\n" + fragment, StandardCharsets.UTF_8);

        AuditReader.Result read = AuditReader.readFile(file);
        assertEquals(1, read.events().size());
        assertEquals(List.of(2L, 3L), read.skipped().stream().map(AuditReader.SkippedLine::line).toList());
        assertEquals("incomplete last line (torn write)", read.skipped().get(1).reason());
    }

    @Test
    void readerSkipsOverlongLinesWithoutLosingItsPlace() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String huge = "x".repeat(AuditReader.MAX_LINE_BYTES + 100_000);
        Files.writeString(file, AuditJson.toLine(event(1)) + "\n" + huge + "\n" + AuditJson.toLine(event(2)) + "\n");

        AuditReader.Result read = AuditReader.readFile(file);
        assertEquals(List.of(1L, 2L), read.events().stream().map(AuditTestSupport::seq).toList());
        assertEquals(1, read.skipped().size());
        assertEquals(2, read.skipped().get(0).line());
    }

    @Test
    void writerIsOneDaemonThreadNamedVerifullAudit() throws Exception {
        try (AuditLog log = AuditLog.open(dir.resolve("audit.jsonl"), AuditRotation.none(), m -> { })) {
            log.record(event(1));
            awaitWritten(log);
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("verifull-audit") && t.isDaemon() && t.isAlive()));
        }
    }

    @Test
    void failedWritesAreReportedKeptAndRetriedUntilTheyWork() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T23:59:00Z"));
        AuditTestSupport.Errors errors = new AuditTestSupport.Errors();
        // tomorrow's file name is taken by a directory: the writer cannot open it
        Path blocker = Files.createDirectory(dir.resolve("audit-2026-11-28.jsonl"));
        try (AuditLog log = AuditLog.open(dir, AuditRotation.defaults(), errors, clock)) {
            log.record(event(0, clock.instant()));
            awaitWritten(log);
            clock.advance(Duration.ofMinutes(2));

            assertDoesNotThrow(() -> {
                for (int i = 1; i <= 5; i++) {
                    log.record(event(i, clock.instant()));
                }
            });
            assertTrue(waitFor(() -> errors.any("cannot write")), "failure reported");
            assertTrue(errors.any("audit-2026-11-28.jsonl"), errors.messages.toString());

            Files.delete(blocker);
            awaitWritten(log);
            assertTrue(errors.any("writing again"), errors.messages.toString());
        }

        assertEquals(List.of(0L), AuditReader.readFile(dir.resolve("audit-2026-11-27.jsonl")).events()
                .stream().map(AuditTestSupport::seq).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), AuditReader.readFile(dir.resolve("audit-2026-11-28.jsonl")).events()
                .stream().map(AuditTestSupport::seq).toList(), "nothing lost, nothing repeated, order kept");
    }

    @Test
    void recordsBeyondTheQueueLimitAreDroppedAndReported() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
        AuditTestSupport.Errors errors = new AuditTestSupport.Errors();
        Path blocker = Files.createDirectory(dir.resolve("audit-2026-11-28.jsonl"));
        int recorded = 10;
        try (AuditLog log = AuditLog.open(dir, AuditRotation.defaults(), errors, clock, 3)) {
            clock.advance(Duration.ofDays(1)); // every write now waits for the blocker to go
            for (int i = 0; i < recorded; i++) {
                log.record(event(i, clock.instant()));
            }
            assertTrue(waitFor(() -> errors.any("dropped")), errors.messages.toString());
            Files.delete(blocker);
            awaitWritten(log);
        }
        long dropped = errors.messages.stream()
                .filter(m -> m.contains("dropped"))
                .mapToLong(m -> Long.parseLong(m.replaceAll("^audit log: (\\d+) record.*$", "$1")))
                .sum();
        List<AuditEvent> written = AuditReader.read(dir, AuditReader.Order.OLDEST_FIRST).events();
        assertTrue(dropped > 0);
        assertEquals(recorded, written.size() + dropped, "every record is either written or counted as dropped");
    }

    @Test
    void openFailsWhenTheFileCannotBeCreated() throws IOException {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        assertThrows(IOException.class,
                () -> AuditLog.open(notADir.resolve("audit.jsonl"), AuditRotation.defaults(), m -> { }));
    }

    @Test
    void openDirectoryCreatesItAndNamesFilesByDate() throws Exception {
        Path auditDir = dir.resolve("app/audit");
        try (AuditLog log = AuditLog.openDirectory(auditDir, AuditRotation.defaults(), m -> { })) {
            log.record(event(1));
        }
        String today = LocalDate.now().toString();
        assertEquals(List.of("audit-" + today + ".jsonl"), AuditTestSupport.names(auditDir));
    }

    @Test
    void aThrowingCallbackDoesNotStopTheWriter() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, "torn");
        try (AuditLog log = AuditLog.open(file, AuditRotation.none(), m -> { throw new IllegalStateException(m); },
                java.time.Clock.system(ZoneOffset.UTC))) {
            log.record(event(1));
            awaitWritten(log);
        }
        assertEquals(1, AuditReader.readFile(file).events().size());
    }

    /** Polls a condition the background writer makes true; the limit only guards against hanging. */
    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
