package dev.verifull.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.function.Consumer;

/**
 * File mode ({@code --audit-log FILE}): records always go to FILE, so it can be followed with
 * {@code tail -f}; on rotation FILE is renamed to {@code <stem>-<date>.<n><ext>} beside it and begun anew.
 */
final class SingleFileSink extends AuditSink {
    private static final long RENAME_RETRY_NANOS = Duration.ofMinutes(1).toNanos();

    private long renameBlockedUntil;
    private boolean renameBlocked;

    SingleFileSink(AuditFiles files, AuditRotation rotation, Consumer<String> report, LocalDate today, ZoneId zone)
            throws IOException {
        super(files, rotation, report);
        currentPath = files.activeFile();
        Files.createDirectories(currentPath.getParent(), OwnerOnly.directory()); // only what does not exist yet
        channel = openForAppend(currentPath);
        size = channel.size();
        // the file does not say when it was begun; its last write is the best guess for daily rotation
        currentDate = size > 0
                ? LocalDate.ofInstant(Files.getLastModifiedTime(currentPath).toInstant(), zone)
                : today;
        applyRetention();
    }

    @Override
    protected void rotateIfDue(LocalDate today, int nextRecordLength) throws IOException {
        boolean dayChanged = rotation.daily() && !today.equals(currentDate);
        if (!dayChanged && !sizeExceededBy(nextRecordLength)) {
            return;
        }
        if (size == 0) { // nothing to move away; the file simply belongs to the new day
            currentDate = today;
            return;
        }
        if (renameBlocked && System.nanoTime() - renameBlockedUntil < 0) {
            return; // keep writing to the current file until it is time to try again
        }
        closeChannel();
        Path rotated = files.dated(currentDate, files.nextNumber(currentDate, 1));
        try {
            Files.move(currentPath, rotated);
        } catch (IOException e) {
            // e.g. another program holds the file open on Windows: losing no record beats rotating on time
            renameBlocked = true;
            renameBlockedUntil = System.nanoTime() + RENAME_RETRY_NANOS;
            report.accept("audit log: could not rotate " + currentPath + " to " + rotated.getFileName() + ": "
                    + AuditLog.describe(e) + "; still writing to " + currentPath.getFileName() + ", retrying in a minute");
            return; // write() reopens the current file
        }
        renameBlocked = false;
        currentDate = today;
        size = 0;
        applyRetention();
        // write() opens the fresh file; if that fails the record waits and is retried
    }
}
