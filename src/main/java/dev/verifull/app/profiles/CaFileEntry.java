package dev.verifull.app.profiles;

import java.nio.file.Path;
import java.util.List;

import dev.verifull.profile.CertificateFileInfo;

/**
 * A CA file of the profile being edited: where its copy lives, the certificates in it, or why it
 * could not be read.
 */
public record CaFileEntry(Path path, List<CertificateFileInfo.Entry> certificates, String error) {
    public CaFileEntry {
        certificates = certificates == null ? List.of() : List.copyOf(certificates);
    }

    public String fileName() {
        Path name = path.getFileName();
        return name != null ? name.toString() : path.toString();
    }

    public boolean hasWarnings() {
        return error != null || certificates.stream().anyMatch(c -> !c.warnings().isEmpty());
    }
}
