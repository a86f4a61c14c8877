package dev.verifull.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's {@code psql} as a real libpq client, optionally with another libpq: {@link #libpq(int)}
 * with 17 or 18 sets {@code LD_LIBRARY_PATH} to that version's unpacked {@code lib/} (see
 * {@link PgInstall}; no server of that version needs to run), which gives psql libpq's newer
 * options ({@code sslnegotiation=direct} from 17, {@code max_protocol_version=3.2} from 18).
 *
 * <p>psql runs as {@code psql -X -A -t -w -v ON_ERROR_STOP=1 -d <conninfo> -c <sql>} with stdin
 * from /dev/null and a scrubbed environment: no inherited {@code PG*} variables, an empty
 * {@code HOME} (no ~/.pgpass, ~/.psqlrc or ~/.postgresql certificates), {@code LC_ALL=C.UTF-8}
 * (English messages) and {@code PGCONNECT_TIMEOUT=10} unless given. {@code -w} matters: without it
 * psql would ask for a missing password on /dev/tty and hang when a terminal is around.
 */
public final class Psql {
    private static final Pattern LIBPQ_SONAME_MINOR = Pattern.compile("libpq\\.so\\.5\\.(\\d+)");
    private static volatile Path psqlBinary;
    private static volatile Integer systemLibpqMajor;

    /** What a psql run produced. {@code timedOut}: it did not finish in time and was killed. */
    public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** stdout without surrounding whitespace: with {@code -A -t}, the bare value(s). */
        public String out() {
            return stdout.strip();
        }

        @Override
        public String toString() {
            return "psql exit " + exitCode + (timedOut ? " (timed out, killed)" : "")
                    + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    private final int libpqMajor;
    private final Path libDir; // null: the system's libpq
    private final Map<String, String> env;

    private Psql(int libpqMajor, Path libDir, Map<String, String> env) {
        this.libpqMajor = libpqMajor;
        this.libDir = libDir;
        this.env = Map.copyOf(env);
    }

    /** psql with the system's libpq (15 on Debian 12). */
    public static Psql system() {
        return new Psql(systemLibpqMajor(), null, Map.of());
    }

    /**
     * psql with libpq {@code major}: the system's if it is that version, else the embedded binaries'
     * (17, 18). 13 is refused: psql 15 calls libpq functions added in 14 (PQmblenBounded).
     */
    public static Psql libpq(int major) {
        if (major == systemLibpqMajor()) return system();
        int psqlMajor = psqlMajor();
        if (major < psqlMajor) {
            throw new IllegalArgumentException("psql " + psqlMajor + " cannot run on libpq " + major
                    + " (it needs functions added after " + major + ")");
        }
        return new Psql(major, PgInstall.of(major).libDir(), Map.of());
    }

    /** One-shot run with the system libpq; {@code env} adds variables, e.g. PGPASSWORD. */
    public static Result run(String conninfoOrUri, String sql, Map<String, String> env, Duration timeout) {
        return system().withEnv(env).run(conninfoOrUri, sql, timeout);
    }

    public Psql withEnv(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(env);
        merged.putAll(more);
        return new Psql(libpqMajor, libDir, merged);
    }

    public Psql withEnv(String name, String value) {
        return withEnv(Map.of(name, value));
    }

    /** Sets PGPASSWORD. */
    public Psql withPassword(String password) {
        return withEnv("PGPASSWORD", password);
    }

    /** The libpq major version this psql is meant to load. */
    public int libpqMajor() {
        return libpqMajor;
    }

    /** The libpq major version psql really loads with this setup, asked from the dynamic linker (ldd). */
    public int loadedLibpqMajor() {
        return libpqMajorOf(libDir);
    }

    /** Runs {@code sql} and waits; after {@code timeout} psql gets SIGINT (it cancels its query), then SIGKILL. */
    public Result run(String conninfoOrUri, String sql, Duration timeout) {
        try (Running r = start(conninfoOrUri, sql)) {
            return r.await(timeout);
        }
    }

    /** Starts psql and returns at once, e.g. for {@code select pg_sleep(60)} and then {@link Running#interrupt()}. */
    public Running start(String conninfoOrUri, String sql) {
        Path dir = TestFiles.newTempDir("psql-");
        ProcessBuilder pb = new ProcessBuilder(psqlBinary().toString(), "-X", "-A", "-t", "-w",
                "-v", "ON_ERROR_STOP=1", "-d", conninfoOrUri, "-c", sql);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(dir.resolve("stdout").toFile());
        pb.redirectError(dir.resolve("stderr").toFile());
        prepareEnvironment(pb.environment(), libDir, env);
        try {
            return new Running(pb.start(), dir);
        } catch (IOException e) {
            TestFiles.deleteTree(dir);
            throw new UncheckedIOException("cannot start " + pb.command(), e);
        }
    }

    /** A psql process started by {@link #start}. Closing kills it if still running. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path dir;

        private Running(Process process, Path dir) {
            this.process = process;
            this.dir = dir;
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** SIGINT, as Ctrl-C would: psql sends a CancelRequest for the running query on a new connection. */
        public void interrupt() {
            signal("INT");
        }

        /** Sends a signal by name (INT, TERM, ...). Java's Process API only knows TERM and KILL, so this runs kill(1). */
        public void signal(String name) {
            if (!name.matches("[A-Z0-9]+")) throw new IllegalArgumentException(name);
            if (!process.isAlive()) return;
            try {
                new ProcessBuilder("sh", "-c", "kill -" + name + " " + process.pid())
                        .redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits for psql to exit; on timeout interrupts it, then kills it after a second, and reports timedOut. */
        public Result await(Duration timeout) {
            boolean timedOut = false;
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut = true;
                    interrupt();
                    if (!process.waitFor(1, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("interrupted while waiting for psql", e);
            }
            return new Result(process.exitValue(), stdoutSoFar(), stderrSoFar(), timedOut);
        }

        public String stdoutSoFar() {
            return read(dir.resolve("stdout"));
        }

        public String stderrSoFar() {
            return read(dir.resolve("stderr"));
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            TestFiles.deleteTree(dir);
        }

        private static String read(Path file) {
            try {
                return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }

    // ---- environment and binary discovery ----

    private static void prepareEnvironment(Map<String, String> pe, Path libDir, Map<String, String> extra) {
        pe.keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("LC_") || k.startsWith("LANG")
                || k.equals("LD_LIBRARY_PATH"));
        Path home = TestFiles.baseDir().resolve("psql-home");
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pe.put("HOME", home.toString());
        pe.put("PGPASSFILE", home.resolve("no-such-pgpass").toString());
        pe.put("LC_ALL", "C.UTF-8");
        pe.put("PGCONNECT_TIMEOUT", "10");
        if (libDir != null) pe.put("LD_LIBRARY_PATH", libDir.toString());
        pe.putAll(extra);
    }

    /**
     * The real psql binary: {@code -Dverifull.psql=...}, else the newest
     * {@code /usr/lib/postgresql/<N>/bin/psql}, else psql on PATH. Debian's {@code /usr/bin/psql} is a
     * Perl wrapper (pg_wrapper); calling the binary directly keeps a foreign LD_LIBRARY_PATH away from Perl.
     */
    public static Path psqlBinary() {
        if (psqlBinary == null) psqlBinary = findPsql();
        return psqlBinary;
    }

    private static Path findPsql() {
        String configured = System.getProperty("verifull.psql");
        if (configured != null) return Path.of(configured);
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                        .map(v -> v.resolve("bin/psql")).filter(Files::isExecutable)
                        .max(Comparator.comparingInt(p -> Integer.parseInt(p.getParent().getParent().getFileName().toString())));
                if (newest.isPresent()) return newest.get();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "psql");
            if (Files.isExecutable(p)) return p;
        }
        throw new IllegalStateException("psql not found: apt-get install -y postgresql-client");
    }

    private static volatile Integer psqlMajor;

    /** Major version of psql itself ({@code psql --version}). */
    public static int psqlMajor() {
        if (psqlMajor == null) psqlMajor = askPsqlMajor();
        return psqlMajor;
    }

    private static int askPsqlMajor() {
        String out = exec(List.of(psqlBinary().toString(), "--version"));
        Matcher m = Pattern.compile("\\(PostgreSQL\\) (\\d+)").matcher(out);
        if (!m.find()) throw new IllegalStateException("unexpected psql --version output: " + out);
        return Integer.parseInt(m.group(1));
    }

    /**
     * Major version of the libpq that psql loads without LD_LIBRARY_PATH. libpq's file name carries
     * it (libpq.so.5.15 is libpq 15), so ldd's answer, resolved through the symlink, tells.
     * Falls back to psql's own version when ldd is not there.
     */
    public static int systemLibpqMajor() {
        if (systemLibpqMajor == null) {
            int major;
            try {
                major = libpqMajorOf(null);
            } catch (RuntimeException e) {
                major = psqlMajor();
            }
            systemLibpqMajor = major;
        }
        return systemLibpqMajor;
    }

    /** The libpq major version psql would load with this {@code LD_LIBRARY_PATH} (null: none), via ldd. */
    static int libpqMajorOf(Path libDir) {
        ProcessBuilder pb = new ProcessBuilder("ldd", psqlBinary().toString()).redirectErrorStream(true);
        pb.environment().remove("LD_LIBRARY_PATH");
        if (libDir != null) pb.environment().put("LD_LIBRARY_PATH", libDir.toString());
        String out = exec(pb);
        Matcher m = Pattern.compile("libpq\\.so\\.5 => (\\S+)").matcher(out);
        if (!m.find()) throw new IllegalStateException("no libpq in ldd output: " + out);
        try {
            Path real = Path.of(m.group(1)).toRealPath();
            Matcher v = LIBPQ_SONAME_MINOR.matcher(real.getFileName().toString());
            if (!v.matches()) throw new IllegalStateException("cannot tell libpq version from " + real);
            return Integer.parseInt(v.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String exec(List<String> command) {
        return exec(new ProcessBuilder(command).redirectErrorStream(true));
    }

    private static String exec(ProcessBuilder pb) {
        try {
            Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
