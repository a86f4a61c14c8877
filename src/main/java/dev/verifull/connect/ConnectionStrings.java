package dev.verifull.connect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.verifull.connect.ConnectionString.Kind;
import dev.verifull.profile.Profile;

/**
 * The "Copy connection string" formats for a profile's engine, each quoted for where it is pasted.
 *
 * <p>All of them say {@code sslmode=disable}: the client's leg to Verifull is either loopback or
 * inside the tailnet, which WireGuard already encrypts and authenticates, and Verifull does the
 * verified TLS to the real server. TLS to Verifull would add nothing but trouble: its certificate
 * comes from Verifull's own local CA (so {@code verify-full} needs that CA file on the client), and
 * clients that default to SCRAM channel binding would bind to Verifull's certificate, which the
 * server must refuse. See docs/profiles.md.
 */
public final class ConnectionStrings {
    public static final String SSLMODE = "disable";

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_.,:/@%+=-]+");

    private ConnectionStrings() {}

    /**
     * @param host the engine's address as clients reach it: the MagicDNS name on the tailnet, or
     *             127.0.0.1 for a local-only profile
     * @param port the engine's listen port
     */
    public static List<ConnectionString> forProfile(Profile p, String host, int port) {
        String database = emptyToNull(p.defaultDatabase());
        String user = emptyToNull(p.defaultUser());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("host", host);
        params.put("port", Integer.toString(port));
        if (database != null) params.put("dbname", database);
        if (user != null) params.put("user", user);
        params.put("sslmode", SSLMODE);

        String conninfo = conninfo(params);
        return List.of(
                new ConnectionString(Kind.PSQL_COMMAND, "psql command", "psql " + shellWord(conninfo)),
                new ConnectionString(Kind.LIBPQ_URI, "libpq URI", libpqUri(host, port, database, user)),
                new ConnectionString(Kind.JDBC_URL, "JDBC URL (DBeaver, IntelliJ)", jdbcUrl(host, port, database, user)),
                new ConnectionString(Kind.CONNINFO, "Connection parameters (key=value)", conninfo),
                new ConnectionString(Kind.PG_ENV, "Environment variables (PGHOST…)", environment(params)));
    }

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

    static String libpqUri(String host, int port, String database, String user) {
        StringBuilder uri = new StringBuilder("postgresql://");
        if (user != null) uri.append(percentEncode(user)).append('@');
        uri.append(uriHost(host)).append(':').append(port);
        if (database != null) uri.append('/').append(percentEncode(database));
        return uri.append("?sslmode=").append(SSLMODE).toString();
    }

    /** pgJDBC URL-decodes the database and each parameter value ({@code +} means space there, so it is encoded too). */
    static String jdbcUrl(String host, int port, String database, String user) {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(uriHost(host)).append(':').append(port).append('/');
        if (database != null) url.append(percentEncode(database));
        url.append('?');
        if (user != null) url.append("user=").append(percentEncode(user)).append('&');
        return url.append("sslmode=").append(SSLMODE).toString();
    }

    private static String environment(Map<String, String> params) {
        Map<String, String> names = Map.of("host", "PGHOST", "port", "PGPORT", "dbname", "PGDATABASE",
                "user", "PGUSER", "sslmode", "PGSSLMODE");
        List<String> lines = new ArrayList<>();
        params.forEach((k, v) -> lines.add("export " + names.get(k) + "=" + shellWord(v)));
        return String.join("\n", lines);
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
