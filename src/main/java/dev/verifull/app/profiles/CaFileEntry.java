package dev.verifull.app.profiles;

import java.nio.file.Path;
import java.util.List;

import dev.verifull.profile.CertificateFileInfo;

/**
 * A CA file of the profile being edited: where its copy lives, the file the user chose it from
 * (null when not known, e.g. a profile saved before Verifull remembered it), the certificates in
 * it, or why it could not be read.
 */
public record CaFileEntry(Path path, String original, List<CertificateFileInfo.Entry> certificates, String error) {
    public CaFileEntry {
        certificates = certificates == null ? List.of() : List.copyOf(certificates);
    }

    public String fileName() {
        Path name = original != null ? Path.of(original).getFileName() : path.getFileName();
        return name != null ? name.toString() : path.toString();
    }

    /** Where the file the user recognises is: the path they chose it from, or the copy when that is not known. */
    public String shownPath() {
        return original != null ? original : path.toString();
    }

    public boolean hasWarnings() {
        return error != null || certificates.stream().anyMatch(c -> !c.warnings().isEmpty());
    }
}
