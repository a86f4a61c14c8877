package dev.verifull.audit;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The file the writer thread appends to, and when to move on to the next one. Used by that thread
 * only (and by {@link AuditLog#open} before the thread starts).
 */
abstract class AuditSink implements AutoCloseable {
    private static final byte[] NEWLINE = {'\n'};
    private static final Set<OpenOption> APPEND_OPTIONS = Set.of(CREATE, WRITE, APPEND);

    protected final AuditFiles files;
    protected final AuditRotation rotation;
    protected final Consumer<String> report;

    protected FileChannel channel;
    protected Path currentPath;
    protected LocalDate currentDate;
    protected long size;

    AuditSink(AuditFiles files, AuditRotation rotation, Consumer<String> report) {
        this.files = files;
        this.rotation = rotation;
        this.report = report;
    }

    /**
     * Writes what is left of one record's line. A record not yet begun may first move to a new file;
     * one partly written (a short write on a full disk) is continued in the same file, so the
     * retried bytes complete the line instead of leaving a fragment.
     *
     * @throws IOException when nothing more can be written now; the buffer's position tells how far it got
     */
    final void write(ByteBuffer line, LocalDate today) throws IOException {
        if (channel != null && !channel.isOpen()) {
            channel = null;
        }
        if (channel == null) {
            line.rewind(); // a reopened file gets the record whole, on a new line
        }
        if (line.position() == 0) {
            rotateIfDue(today, line.remaining());
        }
        if (channel == null) {
            channel = open(currentPath);
            size = channel.size();
        }
        int written = channel.write(line); // one call; a regular file takes it all unless the disk is full
        size += written;
        if (line.hasRemaining()) {
            throw new IOException("short write to " + currentPath + ": " + written + " of " + line.limit()
                    + " bytes (disk full?)");
        }
    }

    /** The channel to append to {@code file}; a stream may hand out one it already has. */
    protected FileChannel open(Path file) throws IOException {
        return openForAppend(file);
    }

    /** Switches {@link #channel} to another file when the rotation rules say so. */
    protected abstract void rotateIfDue(LocalDate today, int nextRecordLength) throws IOException;

    protected final boolean sizeExceededBy(int nextRecordLength) {
        return rotation.bySize() && size > 0 && size + nextRecordLength > rotation.maxBytes();
    }

    /**
     * Opens a file for appending. If it ends mid-line (an earlier writer died mid-record, or the disk
     * filled up), a newline is written first so the fragment stays a line of its own that readers skip.
     */
    protected final FileChannel openForAppend(Path file) throws IOException {
        FileChannel opened = FileChannel.open(file, APPEND_OPTIONS, OwnerOnly.file()); // created readable by the owner only
        try {
            long length = opened.size();
            if (length > 0 && lastByte(file, length) != '\n') {
                ByteBuffer newline = ByteBuffer.wrap(NEWLINE);
                opened.write(newline);
                if (newline.hasRemaining()) {
                    throw new IOException("could not end the incomplete last line of " + file);
                }
                report.accept("audit log: " + file + " ended with an incomplete line (a writer stopped mid-record);"
                        + " it is left as is and readers skip it; new records start on the next line");
            }
            return opened;
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private static byte lastByte(Path file, long length) throws IOException {
        // a separate channel: READ and APPEND cannot be combined
        try (FileChannel reader = FileChannel.open(file, READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            reader.read(last, length - 1);
            return last.get(0);
        }
    }

    /** Deletes the oldest files while more than {@code maxFiles} exist; never the one being written. */
    protected final void applyRetention() {
        if (rotation.maxFiles() == 0) {
            return;
        }
        try {
            List<Path> all = files.allFiles();
            // in file mode a just-rotated FILE does not exist until the next record, but it counts
            int total = all.size() + (all.contains(currentPath) ? 0 : 1);
            int excess = total - rotation.maxFiles();
            for (Path file : all) {
                if (excess <= 0) {
                    break;
                }
                if (file.equals(currentPath)) {
                    continue;
                }
                Files.deleteIfExists(file);
                excess--;
            }
        } catch (IOException e) {
            report.accept("audit log: could not delete old audit files in " + files.dir() + ": " + AuditLog.describe(e));
        }
    }

    protected final void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                report.accept("audit log: closing " + currentPath + " failed: " + AuditLog.describe(e));
            }
            channel = null;
        }
    }

    @Override
    public void close() {
        closeChannel();
    }
}
