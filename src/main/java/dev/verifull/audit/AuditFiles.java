package dev.verifull.audit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of one audit log's files.
 *
 * <p>Dated files are {@code <stem>-<yyyy-MM-dd>[.<n>]<ext>}: in directory mode {@code audit-2026-11-28.jsonl},
 * then {@code audit-2026-11-28.1.jsonl}, {@code .2} ... for further files begun that day; in file mode
 * {@code audit.jsonl} is always the file being written and is renamed to {@code audit-2026-11-28.1.jsonl}
 * (next free number for that date) when it is rotated. Files sort by date, then number; in file mode
 * the active file comes last.
 */
final class AuditFiles {
    static final String DIRECTORY_STEM = "audit";
    static final String DIRECTORY_EXTENSION = ".jsonl";

    private final Path dir;
    private final String stem;
    private final String extension;
    private final Path activeFile; // file mode only
    private final Pattern datedName;

    private AuditFiles(Path dir, String stem, String extension, Path activeFile) {
        this.dir = dir;
        this.stem = stem;
        this.extension = extension;
        this.activeFile = activeFile;
        this.datedName = Pattern.compile(Pattern.quote(stem) + "-(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d{1,9}))?"
                + Pattern.quote(extension));
    }

    static AuditFiles inDirectory(Path dir) {
        return new AuditFiles(dir, DIRECTORY_STEM, DIRECTORY_EXTENSION, null);
    }

    static AuditFiles besideFile(Path file) {
        Path absolute = file.toAbsolutePath();
        String name = absolute.getFileName().toString();
        int dot = name.lastIndexOf('.');
        boolean hasExtension = dot > 0; // ".hidden" has no extension
        return new AuditFiles(absolute.getParent(),
                hasExtension ? name.substring(0, dot) : name,
                hasExtension ? name.substring(dot) : "",
                absolute);
    }

    Path dir() {
        return dir;
    }

    /** The file being written in file mode; null in directory mode. */
    Path activeFile() {
        return activeFile;
    }

    /** Number 0 is the plain {@code <stem>-<date><ext>} name. */
    Path dated(LocalDate date, int number) {
        return dir.resolve(stem + "-" + date + (number == 0 ? "" : "." + number) + extension);
    }

    /** A dated file of this log with its date and number. */
    record DatedFile(Path path, LocalDate date, int number) {
        static final Comparator<DatedFile> OLDEST_FIRST =
                Comparator.comparing(DatedFile::date).thenComparingInt(DatedFile::number);
    }

    Optional<DatedFile> parse(Path path) {
        Matcher m = datedName.matcher(path.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.parse(m.group(1));
            int number = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            return Optional.of(new DatedFile(path, date, number));
        } catch (DateTimeParseException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The dated files of this log, oldest first (missing directory: none). */
    List<DatedFile> datedFiles() throws IOException {
        List<DatedFile> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                parse(entry).filter(f -> Files.isRegularFile(f.path())).ifPresent(files::add);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        files.sort(DatedFile.OLDEST_FIRST);
        return files;
    }

    /** Every file of this log, oldest first: the dated files, then (file mode) the active file if it exists. */
    List<Path> allFiles() throws IOException {
        List<Path> all = new ArrayList<>();
        for (DatedFile file : datedFiles()) {
            all.add(file.path());
        }
        if (activeFile != null && Files.isRegularFile(activeFile)) {
            all.add(activeFile);
        }
        return all;
    }

    /** The lowest number above every existing file's number for that date. */
    int nextNumber(LocalDate date, int atLeast) throws IOException {
        int next = atLeast;
        for (DatedFile file : datedFiles()) {
            if (file.date().equals(date)) {
                next = Math.max(next, file.number() + 1);
            }
        }
        return next;
    }
}
