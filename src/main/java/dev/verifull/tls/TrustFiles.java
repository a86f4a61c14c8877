package dev.verifull.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the upstream trust was loaded from, as the file system describes it: for each CA file,
 * client certificate and key its identity (inode), modification time and size. Comparing two
 * costs a few {@code stat} calls and no reading, so it can be checked at every new connection;
 * a file replaced by rename, rewritten in place or deleted compares different.
 */
record TrustFiles(List<Stamp> stamps) {

    record Stamp(Path file, Object fileKey, long modifiedNanos, long size) {}

    static TrustFiles of(UpstreamTlsSettings settings) {
        List<Stamp> out = new ArrayList<>();
        for (Path p : settings.caFiles()) out.add(stamp(p));
        if (settings.clientCertificate() != null) out.add(stamp(settings.clientCertificate()));
        if (settings.clientKey() != null) out.add(stamp(settings.clientKey()));
        return new TrustFiles(List.copyOf(out));
    }

    boolean none() {
        return stamps.isEmpty();
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(file, a.fileKey(), a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                    + a.lastModifiedTime().toInstant().getNano(), a.size());
        } catch (IOException | RuntimeException e) {
            return new Stamp(file, null, -1, -1); // missing or unreadable: differs from any readable state
        }
    }

    boolean sameAs(TrustFiles other) {
        return other != null && Objects.equals(stamps, other.stamps);
    }
}
