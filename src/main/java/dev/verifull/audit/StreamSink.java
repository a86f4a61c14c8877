package dev.verifull.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.function.Consumer;

/**
 * Stream mode ({@code --audit-log /dev/stdout}, a FIFO, any device): records are appended and
 * never rotated, renamed or deleted; whatever reads the stream (a container's log collector)
 * keeps them. The path is opened anew after a failure, like a file.
 */
final class StreamSink extends AuditSink {
    StreamSink(Path target, Consumer<String> report) throws IOException {
        super(AuditFiles.besideFile(target), AuditRotation.none(), report);
        currentPath = target;
        channel = openForAppend(currentPath);
    }

    @Override
    protected void rotateIfDue(LocalDate today, int nextRecordLength) {
        // a stream has no files to move on to
    }

    /**
     * A target that is not a file of its own to rotate: anything under /dev (/dev/stdout and
     * /dev/stderr are links to whatever the process was given, possibly a file someone else owns)
     * or an existing path that is neither a regular file nor a directory (a FIFO, a device).
     */
    static boolean isStream(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.startsWith("/dev/") && !absolute.getFileSystem().getSeparator().equals("\\")) return true;
        return java.nio.file.Files.exists(absolute)
                && !java.nio.file.Files.isRegularFile(absolute)
                && !java.nio.file.Files.isDirectory(absolute);
    }
}
