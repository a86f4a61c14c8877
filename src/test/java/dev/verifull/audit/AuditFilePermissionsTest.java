package dev.verifull.audit;

import static dev.verifull.audit.AuditTestSupport.awaitWritten;
import static dev.verifull.audit.AuditTestSupport.event;
import static dev.verifull.audit.AuditTestSupport.names;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log says who connected from where: what it creates is readable by its owner only. */
class AuditFilePermissionsTest {
    private static final Instant DAY1 = Instant.parse("2026-11-27T10:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(DAY1);
    private final AuditTestSupport.Errors errors = new AuditTestSupport.Errors();

    @BeforeEach
    void posixOnly() {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    }

    private static String permissions(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theAppsAuditDirectoryAndItsFilesAreOwnerOnly() throws Exception {
        Path audit = dir.resolve("verifull/audit");
        try (AuditLog log = AuditLog.openDirectory(audit, AuditRotation.defaults(), errors)) {
            log.record(event(1, clock.instant()));
            awaitWritten(log);
        }
        assertEquals("rwx------", permissions(audit));
        assertEquals("rwx------", permissions(audit.getParent()), "every directory Verifull created");
        List<String> files = names(audit); // dated by the system clock here
        assertEquals(1, files.size(), files.toString());
        assertEquals("rw-------", permissions(audit.resolve(files.get(0))));
    }

    @Test
    void aServeAuditFileAndItsRotatedFilesAreOwnerOnly() throws Exception {
        Path file = dir.resolve("logs/audit.jsonl");
        long lineLength = AuditJson.toLine(event(10, DAY1)).length() + 1;
        try (AuditLog log = AuditLog.open(file, AuditRotation.none().withMaxBytes(lineLength * 2), errors, clock)) {
            for (long i = 10; i < 15; i++) log.record(event(i, clock.instant()));
            awaitWritten(log);
        }
        assertEquals("rwx------", permissions(file.getParent()));
        List<String> files = names(file.getParent());
        assertEquals(List.of("audit-2026-11-27.1.jsonl", "audit-2026-11-27.2.jsonl", "audit.jsonl"), files);
        for (String name : files) assertEquals("rw-------", permissions(file.resolveSibling(name)), name);
    }

    @Test
    void anExistingDirectoryKeepsItsPermissions() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        try (AuditLog log = AuditLog.open(shared.resolve("audit.jsonl"), AuditRotation.none(), errors, clock)) {
            log.record(event(1, clock.instant()));
            awaitWritten(log);
        }
        assertEquals("rwxr-x---", permissions(shared), "set by its owner, left alone");
        assertEquals("rw-------", permissions(shared.resolve("audit.jsonl")));
    }
}
