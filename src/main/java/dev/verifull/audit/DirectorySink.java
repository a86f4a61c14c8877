package dev.verifull.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;

/**
 * Directory mode: {@code audit-<date>.jsonl}, {@code audit-<date>.1.jsonl}, ... named by the local date a
 * file was begun. Files are never renamed; a new one is simply begun.
 */
final class DirectorySink extends AuditSink {

    DirectorySink(AuditFiles files, AuditRotation rotation, Consumer<String> report, LocalDate today)
            throws IOException {
        super(files, rotation, report);
        AuditFiles.DatedFile resume = fileToResume(today);
        currentPath = resume.path();
        currentDate = resume.date();
        channel = openForAppend(currentPath);
        size = channel.size();
        applyRetention();
    }

    /** The newest file to go on with: today's newest when rotating daily, else the newest of all. */
    private AuditFiles.DatedFile fileToResume(LocalDate today) throws IOException {
        List<AuditFiles.DatedFile> existing = files.datedFiles();
        for (int i = existing.size() - 1; i >= 0; i--) {
            AuditFiles.DatedFile file = existing.get(i);
            if (!rotation.daily() || file.date().equals(today)) {
                return file;
            }
        }
        return new AuditFiles.DatedFile(files.dated(today, 0), today, 0);
    }

    @Override
    protected void rotateIfDue(LocalDate today, int nextRecordLength) throws IOException {
        AuditFiles.DatedFile next;
        if (rotation.daily() && !today.equals(currentDate)) {
            next = fileToResume(today);
        } else if (sizeExceededBy(nextRecordLength)) {
            next = new AuditFiles.DatedFile(files.dated(today, files.nextNumber(today, 0)), today, 0);
        } else {
            return;
        }
        // open the new file before letting go of the old: if it fails, the record waits and is retried
        FileChannel opened = openForAppend(next.path());
        closeChannel();
        channel = opened;
        currentPath = next.path();
        currentDate = next.date();
        size = opened.size();
        applyRetention();
    }
}
