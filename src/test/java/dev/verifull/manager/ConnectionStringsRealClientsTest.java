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
import org.junit.jupiter.api.Test;
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
    private static final String ODD_USER = "ann o'hara \"q\" $HOME\\x @%&+=/?#:";
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

    /** Every form, as the app makes them for a profile that also offers TLS to clients (the engine here does). */
    private Map<Kind, ConnectionString> forms(String database) {
        Profile p = profile().name("odd one").defaultUser(ODD_USER).defaultDatabase(database).offerClientTls(true).build();
        return ConnectionStrings.forProfile(p, new ConnectionStrings.Target(engine.host(), engine.port(),
                        ConnectionStrings.Platform.UNIX, engine.localCaFile().toString())).stream()
                .collect(Collectors.toMap(ConnectionString::kind, c -> c));
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

    @ParameterizedTest(name = "database name ending in {0}")
    @ValueSource(strings = {"", "!"})
    void psqlAndPgJdbcFindThePgServiceEntryByName(String suffix) throws Exception {
        ConnectionString entry = forms(ODD_DB + suffix).get(Kind.PG_SERVICE);
        Path file = dir.resolve("pg_service" + suffix.length() + ".conf");
        Files.writeString(file, "# someone's other services\n[other]\nhost=elsewhere\n\n" + entry.text() + "\n");
        assertTrue(entry.note().contains("service=odd-one"), entry.note());

        Psql.Result r = Psql.system().withPassword(PgServer.PASSWORD).withEnv("PGSERVICEFILE", file.toString())
                .run("service=odd-one", QUERY, T);
        assertTrue(r.ok(), entry.text() + "\n" + r);
        assertEquals(expected(ODD_DB + suffix), r.out());

        String before = System.getProperty("org.postgresql.pgservicefile");
        System.setProperty("org.postgresql.pgservicefile", file.toString());
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://?service=odd-one", ODD_USER, PgServer.PASSWORD);
             ResultSet rs = c.createStatement().executeQuery(QUERY)) {
            assertTrue(rs.next());
            assertEquals(expected(ODD_DB + suffix), rs.getString(1));
        } finally {
            if (before == null) System.clearProperty("org.postgresql.pgservicefile");
            else System.setProperty("org.postgresql.pgservicefile", before);
        }
    }

    @Test
    void thePgpassLineWithThePasswordFilledInLogsPsqlIn() throws Exception {
        ConnectionString line = forms(ODD_DB).get(Kind.PGPASS);
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, line.text().replace(ConnectionStrings.PASSWORD_PLACEHOLDER, PgServer.PASSWORD) + "\n");
        Files.setPosixFilePermissions(pgpass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Psql.Result r = Psql.system().withEnv("PGPASSFILE", pgpass.toString()).run(forms(ODD_DB).get(Kind.CONNINFO).text(), QUERY, T);
        assertTrue(r.ok(), line.text() + "\n" + r);
        assertEquals(expected(ODD_DB), r.out());
    }

    @Test
    void pgJdbcTakesDbeaversFieldsAndItsCommandLineSpec() throws Exception {
        Map<Kind, ConnectionString> f = forms(ODD_DB);
        Map<String, String> fields = f.get(Kind.DBEAVER).fields();
        assertEquals(expected(ODD_DB), viaJdbc(fields.get("Host"), fields.get("Port"), fields.get("Database"), fields.get("Username"),
                fields.get("Driver property sslmode")));
        // dbeaver -con "name=value|...": DBeaver splits at | and at the first =; the shell removes the quotes
        String arg = sh("printf '%s' " + f.get(Kind.DBEAVER_COMMAND).text().substring("dbeaver -con ".length()));
        Map<String, String> spec = new java.util.LinkedHashMap<>();
        for (String pair : arg.split("\\|")) spec.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        assertEquals("postgresql", spec.get("driver"));
        assertEquals(expected(ODD_DB), viaJdbc(spec.get("host"), spec.get("port"), spec.get("database"), spec.get("user"),
                spec.get("prop.sslmode")));
    }

    private static String viaJdbc(String host, String port, String database, String user, String sslmode) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", PgServer.PASSWORD);
        props.setProperty("sslmode", sslmode);
        // what DBeaver's PostgreSQL driver does with separate fields: a URL with the database URL-encoded
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8);
        try (Connection c = DriverManager.getConnection(url, props); ResultSet rs = c.createStatement().executeQuery(QUERY)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    @Test
    void theVerifyFullFormsVerifyVerifullsCertificateAndLogIn() throws Exception {
        Map<Kind, ConnectionString> f = forms(ODD_DB);
        String command = f.get(Kind.PSQL_VERIFY_FULL).text();
        assertEquals(expected(ODD_DB), sh(command + " -X -A -t -w -c \"" + QUERY + "\""), command);

        Properties props = new Properties();
        props.setProperty("password", PgServer.PASSWORD);
        try (Connection c = DriverManager.getConnection(f.get(Kind.JDBC_VERIFY_FULL).text(), props);
             ResultSet rs = c.createStatement().executeQuery(QUERY)) {
            assertTrue(rs.next());
            assertEquals(expected(ODD_DB), rs.getString(1));
        }
    }

    /**
     * SQLAlchemy reads its URL its own way (the user percent-decoded, the database as it stands):
     * its own parser reads the URL, and psycopg 3 connects with the parts as SQLAlchemy 2's psycopg
     * dialect hands them over. Runs where a Python has SQLAlchemy and psycopg 3 (Debian:
     * python3-sqlalchemy python3-psycopg).
     */
    @ParameterizedTest(name = "database {0}")
    @ValueSource(strings = {ODD_DB, "my db 50%#x"})
    void sqlAlchemyReadsItsUrlAndPsycopgConnectsWithTheParts(String database) throws Exception {
        String python = python("sqlalchemy", "psycopg");
        org.junit.jupiter.api.Assumptions.assumeTrue(python != null, "a python3 with sqlalchemy and psycopg");
        if (!database.equals(ODD_DB)) {
            pg.execute("DROP DATABASE IF EXISTS " + ident(database));
            pg.execute("CREATE DATABASE " + ident(database) + " OWNER " + ident(ODD_USER));
        }
        String url = forms(database).get(Kind.SQLALCHEMY_URL).text();
        Path script = dir.resolve("read_sqlalchemy_url.py");
        Files.writeString(script, "import os, sys, psycopg\n"
                + "from sqlalchemy.engine import make_url\n"
                + "u = make_url(sys.argv[1])\n"
                + "assert u.drivername == 'postgresql+psycopg', u.drivername\n"
                + "args = u.translate_connect_args(username='user', database='dbname')\n"
                + "args.update(u.query)\n"
                + "with psycopg.connect(password=os.environ['PGPASSWORD'], **args) as c:\n"
                + "    print(c.execute(\"" + QUERY + "\").fetchone()[0])\n");
        assertEquals(expected(database), sh(python + " " + script + " '" + url.replace("'", "'\\''") + "'"), url);
    }

    /** The first python3 that can import the modules, or null. */
    private static String python(String... modules) {
        for (String python : new String[] {"python3", "/usr/bin/python3"}) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import " + String.join(", ", modules)).redirectErrorStream(true).start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) return python;
            } catch (IOException e) {
                // not there: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
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
