package dev.verifull.audit;

import java.nio.file.FileSystems;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Permissions for what the audit log creates: it records who connected from where, so files are
 * {@code rw-------} and directories {@code rwx------} where the file system has POSIX
 * permissions. On Windows nothing is set, as for the local CA's key: files inherit the ACL of the
 * per-user application-data directory they are created in.
 */
final class OwnerOnly {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly() {}

    static FileAttribute<?>[] file() {
        return of("rw-------");
    }

    static FileAttribute<?>[] directory() {
        return of("rwx------");
    }

    private static FileAttribute<?>[] of(String permissions) {
        if (!POSIX) return new FileAttribute<?>[0];
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }
}
