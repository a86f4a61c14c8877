package dev.verifull.audit;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.function.Consumer;

/**
 * Stream mode ({@code --audit-log /dev/stdout}, a FIFO, any device): records are appended and
 * never rotated, renamed or deleted; whatever reads the stream (a container's log collector)
 * keeps them.
 *
 * <p>{@code /dev/stdout} and {@code /dev/stderr} are written through the descriptors the process
 * was started with, not opened by name: in a container the runtime's pipe belongs to root, and a
 * non-root user may not open it again through {@code /proc/self/fd} (EACCES), though it may
 * write to the descriptor it has. These descriptors are never closed.
 */
final class StreamSink extends AuditSink {
    private final FileDescriptor inherited;

    StreamSink(Path target, Consumer<String> report) throws IOException {
        super(AuditFiles.besideFile(target), AuditRotation.none(), report);
        currentPath = target;
        Path absolute = target.toAbsolutePath().normalize();
        inherited = absolute.equals(Path.of("/dev/stdout")) ? FileDescriptor.out
                : absolute.equals(Path.of("/dev/stderr")) ? FileDescriptor.err
                : null;
        channel = open(currentPath);
    }

    @Override
    protected FileChannel open(Path file) throws IOException {
        return inherited != null ? new FileOutputStream(inherited).getChannel() : openForAppend(file);
    }

    @Override
    protected void rotateIfDue(LocalDate today, int nextRecordLength) {
        // a stream has no files to move on to
    }

    @Override
    public void close() {
        if (inherited != null) {
            channel = null; // stdout and stderr stay open for the rest of the process
        } else {
            super.close();
        }
    }

    /**
     * A target that is not a file of its own to rotate: anything under /dev (/dev/stdout and
     * /dev/stderr are links to whatever the process was given, possibly a file someone else owns)
     * or an existing path that is neither a regular file nor a directory (a FIFO, a device).
     */
    static boolean isStream(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.startsWith("/dev/") && !absolute.getFileSystem().getSeparator().equals("\\")) return true;
        return Files.exists(absolute) && !Files.isRegularFile(absolute) && !Files.isDirectory(absolute);
    }
}
