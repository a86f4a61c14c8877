package dev.verifull.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small file helpers shared by the PostgreSQL fixtures. */
final class TestFiles {
    private TestFiles() {}

    /** {@code ${java.io.tmpdir}/verifull-pg}: everything the fixtures put on disk lives below it. */
    static Path baseDir() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "verifull-pg");
        try {
            return Files.createDirectories(base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path newTempDir(String prefix) {
        try {
            return Files.createTempDirectory(baseDir(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a tree, quietly: used on cleanup paths where a leftover is not worth a failure. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    static void deleteTreeAtExit(Path root) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root), "delete " + root.getFileName()));
    }
}
