package dev.verifull.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * The app's log: {@code verifull.log} in a directory, moved to {@code verifull.1.log} (and so on,
 * up to {@code count - 1}) when it would grow past {@code limitBytes}, the oldest dropped. Files
 * are {@code rw-------} and the directory {@code rwx------} where there are POSIX permissions, as
 * the audit files: a log names users, machines and servers.
 */
public final class RotatingLogFile extends Handler {
    public static final String NAME = "verifull.log";
    /** 5 files of at most 4 MiB: weeks of an ordinary app's lines, 20 MiB at most. */
    public static final long DEFAULT_LIMIT = 4L << 20;
    public static final int DEFAULT_COUNT = 5;
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;
    private final long limitBytes;
    private final int count;
    private OutputStream out;
    private long size;

    public RotatingLogFile(Path dir, long limitBytes, int count) throws IOException {
        if (limitBytes < 1 || count < 1) throw new IllegalArgumentException("limit and count must be positive");
        this.dir = dir;
        this.limitBytes = limitBytes;
        this.count = count;
        Files.createDirectories(dir, ownerOnly("rwx------"));
        if (POSIX) Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        open();
    }

    public Path file() {
        return dir.resolve(NAME);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (out == null || !isLoggable(record)) return;
        byte[] line;
        try {
            line = getFormatter().format(record).getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            reportError("cannot format a log record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        try {
            if (size > 0 && size + line.length > limitBytes) rotate();
            out.write(line);
            out.flush(); // the line must be there when the process dies the next moment
            size += line.length;
        } catch (IOException e) {
            reportError("cannot write the log file " + file(), e, ErrorManager.WRITE_FAILURE);
        }
    }

    @Override
    public synchronized void flush() {
        try {
            if (out != null) out.flush();
        } catch (IOException e) {
            reportError(null, e, ErrorManager.FLUSH_FAILURE);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) out.close();
        } catch (IOException e) {
            reportError(null, e, ErrorManager.CLOSE_FAILURE);
        }
        out = null;
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        Files.deleteIfExists(numbered(count - 1));
        for (int i = count - 2; i >= 0; i--) {
            Path from = numbered(i);
            if (Files.exists(from)) Files.move(from, numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private Path numbered(int i) {
        return i == 0 ? file() : dir.resolve("verifull." + i + ".log");
    }

    private void open() throws IOException {
        Path f = file();
        if (!Files.exists(f)) Files.createFile(f, ownerOnly("rw-------"));
        size = Files.size(f);
        out = Files.newOutputStream(f, StandardOpenOption.APPEND);
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        if (!POSIX) return new FileAttribute<?>[0];
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }
}
