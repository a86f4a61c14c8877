package dev.verifull.audit;

/**
 * When the audit log starts a new file and how many files it keeps.
 *
 * @param daily    start a new file when the local date changes
 * @param maxBytes start a new file before one would grow past this many bytes; 0 means no limit
 *                 (a single record larger than this still gets a file of its own)
 * @param maxFiles keep at most this many files, deleting the oldest; 0 means keep all
 */
public record AuditRotation(boolean daily, long maxBytes, int maxFiles) {

    public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;

    public AuditRotation {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0 (0 = no limit): " + maxBytes);
        }
        if (maxFiles < 0) {
            throw new IllegalArgumentException("maxFiles must be >= 0 (0 = keep all): " + maxFiles);
        }
    }

    /** Daily, at most 50 MiB per file, keep all files. */
    public static AuditRotation defaults() {
        return new AuditRotation(true, DEFAULT_MAX_BYTES, 0);
    }

    /** One file that grows forever. */
    public static AuditRotation none() {
        return new AuditRotation(false, 0, 0);
    }

    public AuditRotation withDaily(boolean daily) {
        return new AuditRotation(daily, maxBytes, maxFiles);
    }

    public AuditRotation withMaxBytes(long maxBytes) {
        return new AuditRotation(daily, maxBytes, maxFiles);
    }

    public AuditRotation withMaxFiles(int maxFiles) {
        return new AuditRotation(daily, maxBytes, maxFiles);
    }

    boolean bySize() {
        return maxBytes > 0;
    }
}
