package dev.verifull.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads audit records back (the desktop app's audit view, tests). Lines that are not whole records, such
 * as a fragment left by a crash mid-write, are skipped and listed rather than failing the read.
 */
public final class AuditReader {
    /** Longer lines are not records this program wrote; they are skipped without holding them in memory. */
    static final int MAX_LINE_BYTES = 1024 * 1024;

    private AuditReader() {}

    public enum Order { OLDEST_FIRST, NEWEST_FIRST }

    /** A line that was not a record: where it is (1-based line number) and why it was skipped. */
    public record SkippedLine(Path file, long line, String reason) {}

    public record Result(List<AuditEvent> events, List<SkippedLine> skipped) {
        public Result {
            events = List.copyOf(events);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Reads a whole log. A directory: its {@code audit-<date>[.<n>].jsonl} files. A file: the files rotated
     * from it ({@code <stem>-<date>.<n><ext>} beside it), then the file itself. Records come in the order
     * they were written, or the reverse.
     */
    public static Result read(Path target, Order order) throws IOException {
        AuditFiles files = Files.isDirectory(target) ? AuditFiles.inDirectory(target) : AuditFiles.besideFile(target);
        List<AuditEvent> events = new ArrayList<>();
        List<SkippedLine> skipped = new ArrayList<>();
        for (Path file : files.allFiles()) {
            readInto(file, events, skipped, true);
        }
        if (order == Order.NEWEST_FIRST) {
            Collections.reverse(events);
        }
        return new Result(events, skipped);
    }

    /** Reads one file only, oldest record first. */
    public static Result readFile(Path file) throws IOException {
        List<AuditEvent> events = new ArrayList<>();
        List<SkippedLine> skipped = new ArrayList<>();
        readInto(file, events, skipped, false);
        return new Result(events, skipped);
    }

    private static void readInto(Path file, List<AuditEvent> events, List<SkippedLine> skipped,
                                 boolean mayVanish) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            LineSplitter lines = new LineSplitter(in);
            long number = 0;
            while (lines.next()) {
                number++;
                if (lines.tooLong()) {
                    skipped.add(new SkippedLine(file, number, "line longer than " + MAX_LINE_BYTES + " bytes"));
                    continue;
                }
                String text = lines.text();
                if (text.isBlank()) {
                    continue;
                }
                try {
                    events.add(AuditJson.parse(text));
                } catch (IllegalArgumentException e) {
                    // an unterminated last line that parses is a record whose newline was lost; one that does
                    // not is the torn fragment of an interrupted write
                    String reason = lines.terminated() ? e.getMessage() : "incomplete last line (torn write)";
                    skipped.add(new SkippedLine(file, number, reason));
                }
            }
        } catch (NoSuchFileException e) {
            if (!mayVanish) {
                throw e;
            }
            // deleted by retention or renamed by rotation between listing and reading
        }
    }

    /** Splits bytes at '\n' only (a '\r' inside a record is escaped, so it is never a separator). */
    private static final class LineSplitter {
        private final InputStream in;
        private final byte[] chunk = new byte[64 * 1024];
        private int chunkPos;
        private int chunkEnd;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        private boolean tooLong;
        private boolean terminated;

        LineSplitter(InputStream in) {
            this.in = in;
        }

        /** Advances to the next line; false at the end of the input. */
        boolean next() throws IOException {
            line.reset();
            tooLong = false;
            terminated = false;
            boolean any = false;
            while (true) {
                if (chunkPos == chunkEnd) {
                    chunkEnd = in.read(chunk);
                    chunkPos = 0;
                    if (chunkEnd <= 0) {
                        chunkEnd = 0;
                        return any;
                    }
                }
                any = true;
                int start = chunkPos;
                while (chunkPos < chunkEnd && chunk[chunkPos] != '\n') {
                    chunkPos++;
                }
                append(start, chunkPos - start);
                if (chunkPos < chunkEnd) {
                    chunkPos++; // the '\n'
                    terminated = true;
                    return true;
                }
            }
        }

        private void append(int from, int length) {
            int room = MAX_LINE_BYTES - line.size();
            if (length > room) {
                tooLong = true;
                length = room;
            }
            line.write(chunk, from, length);
        }

        boolean tooLong() {
            return tooLong;
        }

        boolean terminated() {
            return terminated;
        }

        String text() {
            return line.toString(StandardCharsets.UTF_8);
        }
    }
}
