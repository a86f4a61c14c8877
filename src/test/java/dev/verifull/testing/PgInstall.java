package dev.verifull.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

/**
 * The PostgreSQL binaries of one major version (13, 17, 18), from the zonky binaries jar that the
 * build copies to {@code target/pg-binaries/pg-<major>.jar} (system property
 * {@code verifull.pgBinaries}).
 *
 * <p>{@link #of(int)} unpacks the archive once per machine, without starting a server, so tests
 * can use its {@code lib/} (that version's {@code libpq.so.5} plus the OpenSSL 1.1 it links)
 * as {@code LD_LIBRARY_PATH} for Debian's psql. The running server uses zonky's own unpacked copy
 * of the same archive (see {@link #resolver(int)}); the files are identical.
 */
public final class PgInstall {
    /** Major versions whose binaries the build provides. */
    public static final List<Integer> MAJORS = List.of(13, 17, 18);
    private static final String ARCHIVE_ENTRY = "postgres-linux-x86_64.txz";
    private static final Map<Integer, PgInstall> UNPACKED = new ConcurrentHashMap<>();

    private final int major;
    private final Path home;

    private PgInstall(int major, Path home) {
        this.major = major;
        this.home = home;
    }

    /** The unpacked installation of {@code major}; unpacks on first use (≈1 s), reused afterwards. */
    public static PgInstall of(int major) {
        checkMajor(major);
        return UNPACKED.computeIfAbsent(major, m -> new PgInstall(m, unpack(m)));
    }

    public int major() {
        return major;
    }

    /** The installation root, holding {@code bin/}, {@code lib/} and {@code share/}. */
    public Path home() {
        return home;
    }

    public Path binDir() {
        return home.resolve("bin");
    }

    /** Holds this version's {@code libpq.so.5} (and {@code libssl.so.1.1}, {@code libcrypto.so.1.1}). */
    public Path libDir() {
        return home.resolve("lib");
    }

    /**
     * A zonky resolver serving this version's archive. A record, so zonky's per-resolver cache
     * (keyed by equals) unpacks each version once per JVM; on disk zonky keys by archive digest, so
     * the three versions coexist.
     */
    public static PgBinaryResolver resolver(int major) {
        checkMajor(major);
        return new JarResolver(major);
    }

    private record JarResolver(int major) implements PgBinaryResolver {
        @Override
        public InputStream getPgBinary(String system, String architecture) {
            String wanted = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + architecture + ".txz";
            if (!wanted.equals(ARCHIVE_ENTRY)) {
                throw new IllegalStateException("no PostgreSQL binaries for " + wanted + "; only " + ARCHIVE_ENTRY
                        + " is configured in pom.xml (copy-pg-binaries)");
            }
            return new ByteArrayInputStream(readArchive(major));
        }
    }

    /** The directory holding {@code pg-<major>.jar}; falls back to {@code target/pg-binaries} for IDE runs. */
    static Path binariesDir() {
        String configured = System.getProperty("verifull.pgBinaries");
        return configured != null ? Path.of(configured) : Path.of("target", "pg-binaries");
    }

    static byte[] readArchive(int major) {
        Path jar = binariesDir().resolve("pg-" + major + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the build through Maven "
                    + "(phase generate-test-resources copies the PostgreSQL binaries jars)");
        }
        try (JarFile jf = new JarFile(jar.toFile())) {
            ZipEntry entry = jf.getEntry(ARCHIVE_ENTRY);
            if (entry == null) throw new IllegalStateException(jar + " has no " + ARCHIVE_ENTRY);
            try (InputStream in = jf.getInputStream(entry)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkMajor(int major) {
        if (!MAJORS.contains(major)) {
            throw new IllegalArgumentException("PostgreSQL " + major + " binaries are not provided; have " + MAJORS);
        }
    }

    /**
     * Unpacks into {@code verifull-pg/install/<major>-<digest>}: first into a scratch directory, then
     * renamed into place, so concurrent JVMs (parallel builds on one machine) never see half a tree.
     */
    private static Path unpack(int major) {
        byte[] archive = readArchive(major);
        Path target = TestFiles.baseDir().resolve("install").resolve(major + "-" + shortDigest(archive));
        if (Files.isRegularFile(target.resolve("bin/postgres"))) return target;
        Path scratch = null;
        try {
            Files.createDirectories(target.getParent());
            scratch = Files.createTempDirectory(target.getParent(), ".unpack-" + major + "-");
            extractTxz(archive, scratch);
            try {
                Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
                scratch = null;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another JVM won the race; its copy is complete
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException(e);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("unpacking PostgreSQL " + major + " failed", e);
        } finally {
            TestFiles.deleteTree(scratch);
        }
    }

    private static void extractTxz(byte[] archive, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path out = root.resolve(e.getName()).normalize();
                if (!out.startsWith(root)) throw new IOException("archive entry escapes target: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                if (e.isSymbolicLink()) {
                    Files.createSymbolicLink(out, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Files.createLink(out, root.resolve(e.getLinkName()).normalize());
                } else {
                    Files.copy(tar, out);
                    Files.setPosixFilePermissions(out, permissions(e.getMode()));
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) perms.add(order[bit]);
        }
        perms.add(PosixFilePermission.OWNER_READ);
        return perms;
    }

    private static String shortDigest(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL " + major + " binaries at " + home;
    }
}
