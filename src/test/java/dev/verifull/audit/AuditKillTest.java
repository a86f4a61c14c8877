package dev.verifull.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL a writing process, several times into the same file: every confirmed record survives
 * whole and in order, and what a kill interrupts stays a fragment of its own.
 *
 * <p>Linux can end a write() to a file at a page boundary when a SIGKILL arrives (the kernel checks
 * for fatal signals between the pages it copies), so a record that was being written when the
 * process died may be left as a prefix (seen once in CI: 42 bytes of a line of about 350). That
 * record was never confirmed. The next writer starts on a new line (AuditSink.openForAppend), so the
 * fragment never swallows a record, and readers skip it as a torn line.
 */
class AuditKillTest {
    private static final int RUNS = 4;

    @TempDir
    Path dir;

    @Test
    void killedWriterKeepsEveryConfirmedRecordWholeAndInOrder() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Map<String, Long> confirmedByRun = new HashMap<>();
        for (int run = 0; run < RUNS; run++) {
            String runId = "run" + run;
            confirmedByRun.put(runId, killWhileWriting(file, runId, 1_000 + run * 2_500L));
        }

        AuditReader.Result read = AuditReader.read(file, AuditReader.Order.OLDEST_FIRST);
        // At most one interrupted record per kill, each a line of its own that is no record.
        assertTrue(read.skipped().size() <= RUNS, "at most one torn line per kill: " + read.skipped());
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (AuditReader.SkippedLine torn : read.skipped()) {
            String fragment = lines.get((int) torn.line() - 1);
            assertTrue(fragment.startsWith("{"), "a torn line is the start of a record: " + fragment);
        }
        assertEquals(lines.size(), read.events().size() + read.skipped().size(), "every other line is a whole record");

        Map<String, List<Long>> seqsByRun = new HashMap<>();
        for (AuditEvent event : read.events()) {
            seqsByRun.computeIfAbsent((String) event.get("run"), r -> new ArrayList<>()).add(AuditTestSupport.seq(event));
        }
        confirmedByRun.forEach((run, confirmed) -> {
            List<Long> seqs = seqsByRun.getOrDefault(run, List.of());
            assertTrue(seqs.size() >= confirmed, run + ": " + seqs.size() + " records, child confirmed " + confirmed);
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(i, seqs.get(i), run + ": records in order, none missing or repeated");
            }
        });
    }

    /** Starts the child, kills it once it has confirmed at least {@code atLeast} records; returns its last confirmation. */
    private long killWhileWriting(Path file, String runId, long atLeast) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stderr = dir.resolve(runId + ".err");
        Process child = new ProcessBuilder(java.toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                AuditCrashChild.class.getName(), file.toString(), runId)
                .redirectError(stderr.toFile())
                .start();
        AtomicLong confirmed = new AtomicLong();
        Object reached = new Object();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("written ")) {
                        confirmed.set(Long.parseLong(line.substring("written ".length())));
                        synchronized (reached) {
                            reached.notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                // the child's end of the pipe went away with it
            }
            synchronized (reached) {
                reached.notifyAll();
            }
        }, "audit-kill-test-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (reached) {
                while (confirmed.get() < atLeast && child.isAlive() && System.nanoTime() < deadline) {
                    reached.wait(100);
                }
            }
            if (!child.isAlive()) {
                fail(runId + " exited by itself (" + child.exitValue() + "): " + Files.readString(stderr));
            }
            if (confirmed.get() < atLeast) {
                fail(runId + " confirmed only " + confirmed.get() + " records: " + Files.readString(stderr));
            }
            long beforeKill = confirmed.get();
            child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close()
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child gone");
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return Math.max(beforeKill, confirmed.get());
        } finally {
            child.destroyForcibly();
        }
    }
}
