package dev.verifull.profile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * The saved profiles: {@code {"schema":1,"profiles":[...]}} in one JSON file.
 *
 * <p>Saving writes a temporary file next to the real one, forces it to disk and moves it over the
 * old file in one step, so a crash leaves either the old or the new version, never half of one.
 * The version being replaced is kept as {@code profiles.json.bak}. A file this version cannot use
 * (damaged, or written by a newer Verifull) is moved aside under a dated name and reported; it is
 * never overwritten. Thread-safe (use one store per file); every method does file I/O, so keep it
 * off the UI thread. The format and its parsing are in {@code ProfilesJson}.
 */
public final class ProfileStore {
    /** The schema this version writes and the newest it reads. */
    public static final int SCHEMA = ProfilesJson.SCHEMA;

    private static final DateTimeFormatter ASIDE_STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss");

    private final Path file;
    private final Clock clock;

    /**
     * What {@link #load()} found.
     *
     * @param problem  what was wrong with the file, in words for the user; {@code null} if nothing
     * @param setAside where the unusable file was moved, or {@code null}
     */
    public record LoadResult(List<Profile> profiles, String problem, Path setAside) {
        public LoadResult {
            profiles = List.copyOf(profiles);
        }
    }

    private ProfileStore(Path file, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = clock;
    }

    /** A store for this file (usually {@link AppDataDir#profiles}); nothing is read yet. */
    public static ProfileStore open(Path file) {
        return new ProfileStore(file, Clock.systemDefaultZone());
    }

    static ProfileStore open(Path file, Clock clock) {
        return new ProfileStore(file, clock);
    }

    public Path file() {
        return file;
    }

    public Path backupFile() {
        return file.resolveSibling(file.getFileName() + ".bak");
    }

    /**
     * The saved profiles; a missing file means none yet. Never throws: whatever goes wrong ends up
     * in {@link LoadResult#problem()}, and a file that could not be used stays untouched or aside.
     */
    public synchronized LoadResult load() {
        String name = file.getFileName().toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new LoadResult(List.of(), null, null);
        } catch (IOException e) {
            return new LoadResult(List.of(), name + " could not be read (" + ioReason(e)
                    + "); Verifull started with no profiles and will not change the file", null);
        }
        ProfilesJson.Parsed parsed = ProfilesJson.parse(bytes);
        if (parsed.profiles() != null) return new LoadResult(parsed.profiles(), null, null);
        try {
            Path aside = setAside(parsed.asideLabel());
            return new LoadResult(List.of(), name + " " + parsed.problem() + "; it was kept as " + aside.getFileName()
                    + " and Verifull started with no profiles", aside);
        } catch (IOException e) {
            return new LoadResult(List.of(), name + " " + parsed.problem() + "; moving it aside failed (" + ioReason(e)
                    + "), so Verifull started with no profiles and will not overwrite it", null);
        }
    }

    /**
     * Replaces the file with these profiles. The file on disk becomes {@code .bak} first; if that
     * file is one this version cannot read, it is moved aside instead, like {@link #load()} does.
     */
    public synchronized void save(List<Profile> profiles) throws IOException {
        byte[] bytes = ProfilesJson.write(profiles);

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = writeSynced(dir, bytes);
        try {
            keepPreviousVersion(dir);
            moveAtomically(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    private void keepPreviousVersion(Path dir) throws IOException {
        byte[] current;
        try {
            current = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        }
        ProfilesJson.Parsed parsed = ProfilesJson.parse(current);
        if (parsed.profiles() == null) {
            setAside(parsed.asideLabel()); // edited or replaced since load: do not turn it into the .bak
            return;
        }
        Path temp = writeSynced(dir, current);
        try {
            moveAtomically(temp, backupFile());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String ioReason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Moves the unusable file to e.g. {@code profiles.json.corrupt-2026-11-28T10-15-00}. */
    private Path setAside(String label) throws IOException {
        String base = file.getFileName() + "." + label + "-" + LocalDateTime.now(clock).format(ASIDE_STAMP);
        Path target = file.resolveSibling(base);
        for (int n = 2; Files.exists(target); n++) target = file.resolveSibling(base + "-" + n);
        Files.move(file, target);
        return target;
    }

    private static Path writeSynced(Path dir, byte[] bytes) throws IOException {
        Path temp = Files.createTempFile(dir, ".profiles-", ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) ch.write(buffer);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename itself durable on POSIX; directories cannot be opened this way on Windows. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file itself is already on disk
        }
    }
}
