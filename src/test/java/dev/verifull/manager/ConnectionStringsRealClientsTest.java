package dev.verifull.manager;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.verifull.connect.ConnectionString.Kind;
import dev.verifull.connect.ConnectionString;
import dev.verifull.connect.ConnectionStrings;
import dev.verifull.profile.Profile;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every copied connection string, pasted where it belongs: the psql command and the {@code export}
 * lines into {@code sh}, the URI and conninfo to psql, the JDBC URL to pgJDBC. They connect through a
 * real engine to PostgreSQL 17 as a user and into a database whose names need every kind of quoting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionStringsRealClientsTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final String QUERY = "select current_user || '|' || current_database()";
    /** Space, both quotes, backslash, shell and URL specials; each name stays under 63 bytes. */
    private static final String ODD_USER = "ann o'hara \"q\" $HOME\\x @%&+=/?#";
    private static final String ODD_DB = "it's \"my db\" 50%&a+b=c/d?e#f\\g $PATH`id`";

    @TempDir
    static Path dir;
    private PgServer pg;
    private EngineHarness engine;

    @BeforeAll
    void start() throws Exception {
        pg = PgServer.shared(17, PgServer.Options.tls());
        for (String db : new String[] {ODD_DB, ODD_DB + "!"}) pg.execute("DROP DATABASE IF EXISTS " + ident(db));
        pg.execute("DROP ROLE IF EXISTS " + ident(ODD_USER));
        pg.execute("CREATE ROLE " + ident(ODD_USER) + " LOGIN PASSWORD '" + PgServer.PASSWORD + "'");
        for (String db : new String[] {ODD_DB, ODD_DB + "!"}) pg.execute("CREATE DATABASE " + ident(db) + " OWNER " + ident(ODD_USER));
        engine = EngineHarness.builder(dir.resolve("engine"), pg.port()).ca(TestCa.shared().caFile()).start();
    }

    @AfterAll
    void stop() throws Exception {
        if (engine != null) engine.close();
    }

    private Map<Kind, String> strings(String database) {
        Profile p = profile().defaultUser(ODD_USER).defaultDatabase(database).build();
        return ConnectionStrings.forProfile(p, engine.host(), engine.port()).stream()
                .collect(Collectors.toMap(ConnectionString::kind, ConnectionString::text));
    }

    private static String expected(String database) {
        return ODD_USER + "|" + database;
    }

    @ParameterizedTest(name = "database name ending in {0}")
    @ValueSource(strings = {"", "!"})
    void thePsqlCommandWorksInAShell(String suffix) throws Exception {
        String command = strings(ODD_DB + suffix).get(Kind.PSQL_COMMAND);
        assertEquals(expected(ODD_DB + suffix), sh(command + " -X -A -t -w -c \"" + QUERY + "\""), command);
    }

    @ParameterizedTest(name = "database name ending in {0}")
    @ValueSource(strings = {"", "!"})
    void theEnvironmentVariablesWorkInAShell(String suffix) throws Exception {
        String exports = strings(ODD_DB + suffix).get(Kind.PG_ENV);
        assertEquals(expected(ODD_DB + suffix), sh(exports + "\npsql -X -A -t -w -c \"" + QUERY + "\""), exports);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"LIBPQ_URI", "CONNINFO"})
    void psqlTakesTheUriAndTheConninfo(String kind) {
        String text = strings(ODD_DB).get(Kind.valueOf(kind));
        Psql.Result r = Psql.system().withPassword(PgServer.PASSWORD).run(text, QUERY, T);
        assertTrue(r.ok(), text + "\n" + r);
        assertEquals(expected(ODD_DB), r.out());
    }

    @ParameterizedTest(name = "database name ending in {0}")
    @ValueSource(strings = {"", "!"})
    void pgJdbcTakesTheJdbcUrl(String suffix) throws Exception {
        String url = strings(ODD_DB + suffix).get(Kind.JDBC_URL);
        Properties props = new Properties();
        props.setProperty("password", PgServer.PASSWORD); // pasted into the tool's password field, not the URL
        try (Connection c = DriverManager.getConnection(url, props);
             ResultSet rs = c.createStatement().executeQuery(QUERY)) {
            assertTrue(rs.next());
            assertEquals(expected(ODD_DB + suffix), rs.getString(1), url);
        }
    }

    /** Runs a script with {@code sh -c}, psql first on PATH, no inherited PG* settings, as psql tests do. */
    private static String sh(String script) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("LC_") || k.startsWith("LANG"));
        Path home = Files.createDirectories(dir.resolve("home"));
        env.put("HOME", home.toString());
        env.put("PGPASSFILE", home.resolve("no-pgpass").toString());
        env.put("PGPASSWORD", PgServer.PASSWORD);
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("LC_ALL", "C.UTF-8");
        env.put("PATH", Psql.psqlBinary().getParent() + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path out = dir.resolve("out"), err = dir.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(T.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sh did not finish: " + script);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "script:\n" + script + "\nstdout: " + stdout + "\nstderr: " + stderr);
        return stdout;
    }

    private static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
