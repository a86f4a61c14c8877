package dev.verifull.connect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.verifull.connect.ConnectionString.Kind;
import dev.verifull.profile.Profile;

/**
 * The "Copy connection string" forms for a profile's engine, each quoted for where it is pasted.
 *
 * <p>All of them but the verify-full ones say {@code sslmode=disable}: the client's leg to Verifull
 * is either loopback or inside the tailnet, which WireGuard already encrypts and authenticates, and
 * Verifull does the verified TLS to the real server. Unless the profile offers TLS to clients,
 * Verifull would answer a TLS request with 'N' anyway; {@code disable} saves that round trip and
 * says what happens. See docs/profiles.md.
 */
public final class ConnectionStrings {
    public static final String SSLMODE = "disable";
    /** What a {@code .pgpass} line holds until the user puts the password there. */
    public static final String PASSWORD_PLACEHOLDER = "YOUR-PASSWORD";

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_.,:/@%+=-]+");
    private static final String NO_PASSWORD = "No password in it: your tool asks for one, or add it yourself (user:password@ in a URI).";

    /** The shells the command-line forms are written for. */
    public enum Platform {
        /** sh, bash, zsh */
        UNIX,
        /** PowerShell and cmd */
        WINDOWS;

        public static Platform current() {
            return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? WINDOWS : UNIX;
        }
    }

    /**
     * Where and how clients reach the engine.
     *
     * @param host        the engine's address as clients use it: the MagicDNS name (or the 100.x address) on
     *                    the tailnet, 127.0.0.1 for a local-only profile
     * @param port        the engine's listen port
     * @param platform    the shell syntax of the command-line forms
     * @param sslRootCert what a client verifying Verifull's certificate trusts ({@code sslrootcert}): the local
     *                    CA's file, or {@code system} for the Tailscale certificate; used when the profile offers
     *                    TLS to clients
     */
    public record Target(String host, int port, Platform platform, String sslRootCert) {}

    private ConnectionStrings() {}

    /** For a POSIX shell, without the verify-full forms' CA (what tests and the README show). */
    public static List<ConnectionString> forProfile(Profile p, String host, int port) {
        return forProfile(p, new Target(host, port, Platform.UNIX, null));
    }

    /** Every form, in the order the window lists them. */
    public static List<ConnectionString> forProfile(Profile p, Target t) {
        String database = emptyToNull(p.defaultDatabase());
        String user = emptyToNull(p.defaultUser());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("host", t.host());
        params.put("port", Integer.toString(t.port()));
        if (database != null) params.put("dbname", database);
        if (user != null) params.put("user", user);
        params.put("sslmode", SSLMODE);
        String conninfo = conninfo(params);
        boolean windows = t.platform() == Platform.WINDOWS;

        List<ConnectionString> out = new ArrayList<>();
        out.add(ConnectionString.of(Kind.PSQL_COMMAND, windows ? "psql (PowerShell)" : "psql",
                "psql " + (windows ? powerShellWord(conninfo) : shellWord(conninfo)), ""));
        String uri = uri("postgresql", t.host(), t.port(), database, user);
        out.add(ConnectionString.of(Kind.LIBPQ_URI, "URI — psql, node-postgres, pgx, Prisma, Rails, Django", uri, NO_PASSWORD));
        out.add(ConnectionString.of(Kind.SQLALCHEMY_URL, "SQLAlchemy (psycopg 3)", sqlAlchemyUrl(t.host(), t.port(), database, user),
                NO_PASSWORD));
        out.add(ConnectionString.of(Kind.JDBC_URL, "JDBC URL — DBeaver, IntelliJ, Java", jdbcUrl(t.host(), t.port(), database, user,
                "sslmode=" + SSLMODE),
                "No password in it: the tool has a password field."));
        out.add(dbeaver(t, database, user));
        out.add(dbeaverCommand(p, t, database, user));
        out.add(ConnectionString.of(Kind.CONNINFO, "key=value — libpq, psycopg", conninfo, ""));
        if (windows) {
            out.add(ConnectionString.of(Kind.PG_ENV_POWERSHELL, "Environment variables (PowerShell)", powerShellEnvironment(params), ""));
            out.add(cmdEnvironment(params));
        } else {
            out.add(ConnectionString.of(Kind.PG_ENV, "Environment variables (sh, bash, zsh)", environment(params), ""));
        }
        out.add(service(p, params, windows));
        out.add(pgpass(t, database, user, windows));
        if (p.offerClientTls()) {
            String root = t.sslRootCert() != null ? t.sslRootCert() : "system";
            Map<String, String> tls = new LinkedHashMap<>(params);
            tls.put("sslmode", "verify-full");
            tls.put("sslrootcert", root);
            tls.put("channel_binding", "disable"); // SCRAM cannot bind through a proxy that ends TLS
            String verifying = conninfo(tls);
            out.add(ConnectionString.of(Kind.PSQL_VERIFY_FULL, "psql over TLS to Verifull (verify-full)",
                    "psql " + (windows ? powerShellWord(verifying) : shellWord(verifying)),
                    "Checks Verifull's certificate against " + root + "; channel binding stays off, as SCRAM needs through Verifull."));
            // pgJDBC has no sslrootcert=system: its factory for the JDK's trust store does that.
            String trust = root.equals("system") ? "sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory" : "sslrootcert=" + percentEncode(root);
            out.add(ConnectionString.of(Kind.JDBC_VERIFY_FULL, "JDBC URL over TLS to Verifull (verify-full)",
                    jdbcUrl(t.host(), t.port(), database, user, "sslmode=verify-full&" + trust + "&channelBinding=disable"), ""));
        }
        return List.copyOf(out);
    }

    /**
     * What a connection string for this profile lacks to work as pasted: without a user, clients
     * log in as the computer's user name; without a database, into one named like the user.
     *
     * @return e.g. {@code ["database user"]}; empty when the strings can be used
     */
    public static List<String> missing(Profile p) {
        List<String> out = new ArrayList<>();
        if (emptyToNull(p.defaultDatabase()) == null) out.add("database");
        if (emptyToNull(p.defaultUser()) == null) out.add("database user");
        return out;
    }

    /** The {@code pg_service.conf} section name for a profile: its name, with anything but letters, digits, {@code ._-} as {@code -}. */
    public static String serviceName(Profile p) {
        String name = p.name() == null ? "" : p.name().strip().replaceAll("[^A-Za-z0-9._-]+", "-");
        return name.isEmpty() ? "verifull" : name;
    }

    // ---- the forms ----

    /** libpq's key=value syntax: values with spaces, quotes or backslashes in single quotes, escaped by backslashes. */
    static String conninfo(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(k + "=" + conninfoValue(v)));
        return String.join(" ", pairs);
    }

    static String conninfoValue(String v) {
        boolean plain = !v.isEmpty() && v.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '\\');
        return plain ? v : "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String uri(String scheme, String host, int port, String database, String user) {
        StringBuilder uri = new StringBuilder(scheme).append("://");
        if (user != null) uri.append(percentEncode(user)).append('@');
        uri.append(uriHost(host)).append(':').append(port);
        if (database != null) uri.append('/').append(percentEncode(database));
        return uri.append("?sslmode=").append(SSLMODE).toString();
    }

    /**
     * SQLAlchemy's URL: it percent-decodes the user and the query, but takes the database as it
     * stands up to a {@code ?}; a database name with a {@code ?} goes into the query instead.
     */
    static String sqlAlchemyUrl(String host, int port, String database, String user) {
        StringBuilder url = new StringBuilder("postgresql+psycopg://");
        if (user != null) url.append(percentEncode(user)).append('@');
        url.append(uriHost(host)).append(':').append(port);
        boolean inPath = database != null && database.indexOf('?') < 0;
        if (inPath) url.append('/').append(database);
        url.append("?sslmode=").append(SSLMODE);
        if (database != null && !inPath) url.append("&dbname=").append(percentEncode(database));
        return url.toString();
    }

    /** pgJDBC URL-decodes the database and each parameter value ({@code +} means space there, so it is encoded too). */
    static String jdbcUrl(String host, int port, String database, String user, String tls) {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(uriHost(host)).append(':').append(port).append('/');
        if (database != null) url.append(percentEncode(database));
        url.append('?');
        if (user != null) url.append("user=").append(percentEncode(user)).append('&');
        return url.append(tls).toString();
    }

    /** DBeaver's PostgreSQL dialog, field by field; the text lists them for reading. */
    private static ConnectionString dbeaver(Target t, String database, String user) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Host", t.host());
        fields.put("Port", Integer.toString(t.port()));
        if (database != null) fields.put("Database", database);
        if (user != null) fields.put("Username", user);
        fields.put("Driver property sslmode", SSLMODE);
        StringBuilder text = new StringBuilder();
        fields.forEach((k, v) -> text.append(text.length() == 0 ? "" : "\n").append(k).append(": ").append(v));
        return new ConnectionString(Kind.DBEAVER, "DBeaver (New connection → PostgreSQL)", text.toString(),
                "Type the password into DBeaver's password field.", fields);
    }

    /**
     * DBeaver's {@code -con} argument: {@code name=value} pairs split at {@code |}, with no escape
     * for it, and {@code ${...}} expanded as a variable; a value holding either cannot be given.
     */
    private static ConnectionString dbeaverCommand(Profile p, Target t, String database, String user) {
        String label = "DBeaver command line (-con)";
        Map<String, String> spec = new LinkedHashMap<>();
        spec.put("driver", "postgresql");
        spec.put("name", "Verifull " + (p.name() == null ? "" : p.name()));
        spec.put("host", t.host());
        spec.put("port", Integer.toString(t.port()));
        if (database != null) spec.put("database", database);
        if (user != null) spec.put("user", user);
        spec.put("prop.sslmode", SSLMODE);
        spec.put("connect", "true");
        for (Map.Entry<String, String> e : spec.entrySet()) {
            if (e.getValue().contains("|") || e.getValue().contains("${")) {
                return ConnectionString.unavailable(Kind.DBEAVER_COMMAND, label, "DBeaver's -con cannot hold a " + e.getKey()
                        + " with \"|\" or \"${\": use the settings above.");
            }
        }
        List<String> pairs = new ArrayList<>();
        spec.forEach((k, v) -> pairs.add(k + "=" + v));
        String arg = String.join("|", pairs);
        boolean windows = t.platform() == Platform.WINDOWS;
        return ConnectionString.of(Kind.DBEAVER_COMMAND, label, (windows ? "dbeaver.exe -con " + powerShellWord(arg)
                : "dbeaver -con " + shellWord(arg)), "Opens DBeaver with this connection (saved in its project).");
    }

    private static final Map<String, String> ENVIRONMENT = Map.of("host", "PGHOST", "port", "PGPORT", "dbname", "PGDATABASE",
            "user", "PGUSER", "sslmode", "PGSSLMODE", "sslrootcert", "PGSSLROOTCERT", "channel_binding", "PGCHANNELBINDING");

    private static String environment(Map<String, String> params) {
        List<String> lines = new ArrayList<>();
        params.forEach((k, v) -> lines.add("export " + ENVIRONMENT.get(k) + "=" + shellWord(v)));
        return String.join("\n", lines);
    }

    private static String powerShellEnvironment(Map<String, String> params) {
        List<String> lines = new ArrayList<>();
        params.forEach((k, v) -> lines.add("$env:" + ENVIRONMENT.get(k) + " = " + powerShellWord(v)));
        return String.join("\n", lines);
    }

    /**
     * cmd's {@code set "NAME=value"}: inside the quotes {@code & | < > ^} and quotes are plain, but
     * {@code %NAME%} is expanded at the prompt with no escape, and a line cannot hold a line break.
     */
    private static ConnectionString cmdEnvironment(Map<String, String> params) {
        String label = "Environment variables (cmd)";
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String v = e.getValue();
            if (v.indexOf('%') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                return ConnectionString.unavailable(Kind.PG_ENV_CMD, label, "cmd cannot set a " + e.getKey()
                        + " with \"%\" or a line break safely: use the PowerShell form.");
            }
            lines.add("set \"" + ENVIRONMENT.get(e.getKey()) + "=" + v + "\"");
        }
        return ConnectionString.of(Kind.PG_ENV_CMD, label, String.join("\r\n", lines), "");
    }

    /**
     * A {@code pg_service.conf} section. libpq and pgJDBC take each value raw to the end of its line,
     * with the line's surrounding spaces cut: a value cannot start or end with a space or hold a line break.
     */
    private static ConnectionString service(Profile p, Map<String, String> params, boolean windows) {
        String name = serviceName(p);
        String label = "pg_service.conf entry";
        StringBuilder text = new StringBuilder("[").append(name).append("]");
        for (Map.Entry<String, String> e : params.entrySet()) {
            String v = e.getValue();
            if (!v.equals(v.strip()) || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                return ConnectionString.unavailable(Kind.PG_SERVICE, label, "A service file cannot hold a " + e.getKey()
                        + " that starts or ends with a space or holds a line break.");
            }
            text.append('\n').append(e.getKey()).append('=').append(v);
        }
        String file = windows ? "%APPDATA%\\postgresql\\.pg_service.conf" : "~/.pg_service.conf";
        return ConnectionString.of(Kind.PG_SERVICE, label, text.toString(), "Add it to " + file + " (or the file PGSERVICEFILE names), then: psql "
                + "service=" + name + ", or jdbc:postgresql://?service=" + name + " in Java.");
    }

    /** {@code host:port:database:user:password}, with {@code :} and {@code \} escaped by a backslash. */
    private static ConnectionString pgpass(Target t, String database, String user, boolean windows) {
        String line = String.join(":", pgpassField(t.host()), Integer.toString(t.port()), database != null ? pgpassField(database) : "*",
                user != null ? pgpassField(user) : "*", PASSWORD_PLACEHOLDER);
        String note = windows
                ? "Put your password in place of " + PASSWORD_PLACEHOLDER + " and add the line to %APPDATA%\\postgresql\\pgpass.conf."
                : "Put your password in place of " + PASSWORD_PLACEHOLDER + " and add the line to ~/.pgpass (readable only by you: chmod 600 ~/.pgpass).";
        return ConnectionString.of(Kind.PGPASS, windows ? "pgpass.conf line" : ".pgpass line", line, note);
    }

    static String pgpassField(String value) {
        return value.replace("\\", "\\\\").replace(":", "\\:");
    }

    /**
     * One word for a POSIX shell (sh, bash, zsh). Double quotes read best, but an interactive bash
     * expands {@code !} even there, so such values go in single quotes instead.
     */
    static String shellWord(String s) {
        if (SHELL_SAFE.matcher(s).matches()) return s;
        if (s.indexOf('!') >= 0) return "'" + s.replace("'", "'\\''") + "'";
        return '"' + s.replaceAll("([\\\\\"$`])", "\\\\$1") + '"';
    }

    /** A PowerShell literal string: single quotes, each single quote (PowerShell counts the typographic ones too) doubled. */
    static String powerShellWord(String s) {
        StringBuilder out = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B') out.append(c);
            out.append(c);
        }
        return out.append('\'').toString();
    }

    /** RFC 3986: everything but unreserved characters as UTF-8 {@code %XX}. */
    static String percentEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String uriHost(String host) {
        if (host.contains(":") && !host.startsWith("[")) return "[" + host.replace("%", "%25") + "]";
        return host;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
