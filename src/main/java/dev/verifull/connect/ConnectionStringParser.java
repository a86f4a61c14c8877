package dev.verifull.connect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what people paste where the editor asks for the server's host: {@code host:port}, a libpq
 * URI ({@code postgresql://} or {@code postgres://}), a JDBC URL, or a libpq key=value string, by
 * libpq's rules (quoting and backslash escapes in key=value, percent-decoding in URIs, IPv6 in
 * brackets, several hosts separated by commas). A password in the text is skipped, never returned.
 */
public final class ConnectionStringParser {
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\]\\s]+]|[^:\\s/\\[\\]@=?,]+):(\\d{1,5})");
    private static final String PASSWORD_NOTE = "The password was left out: Verifull never stores passwords "
            + "(your client asks for it, or reads it from ~/.pgpass).";

    private ConnectionStringParser() {}

    /**
     * @return what the text says, or null when it is not a connection string or {@code host:port}
     *         (then it is a host name, an address, or a typo for the host check to name)
     * @throws IllegalArgumentException a connection string that cannot be read; the message says why
     */
    public static PastedConnection parse(String text) {
        if (text == null) return null;
        String s = text.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) return uri(s.substring(s.indexOf("://") + 3), false);
        if (lower.startsWith("jdbc:postgresql://")) return uri(s.substring("jdbc:postgresql://".length()), true);
        if (s.indexOf('=') >= 0) return conninfo(s);
        Matcher m = HOST_PORT.matcher(s);
        if (m.matches()) return new PastedConnection(unbracket(m.group(1)), port(m.group(2)), null, null, null, null, List.of());
        return null;
    }

    // ---- key=value ----

    /** libpq's conninfo: {@code key = value} pairs; values in single quotes may hold spaces; {@code \} escapes the next character. */
    static PastedConnection conninfo(String s) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) i++;
            if (i >= n) break;
            int start = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) i++;
            String key = s.substring(start, i);
            while (i < n && Character.isWhitespace(s.charAt(i))) i++;
            if (i >= n || s.charAt(i) != '=') throw new IllegalArgumentException("missing \"=\" after \"" + key + "\"");
            i++;
            while (i < n && Character.isWhitespace(s.charAt(i))) i++;
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(s.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) throw new IllegalArgumentException("the quoted value of \"" + key + "\" has no closing quote");
            } else {
                while (i < n && !Character.isWhitespace(s.charAt(i))) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < n) c = s.charAt(i++);
                    value.append(c);
                }
            }
            params.put(key, value.toString()); // as in libpq, a key given twice keeps its last value
        }
        return fromParameters(params, new ArrayList<>());
    }

    // ---- URIs ----

    /**
     * {@code [user[:password]@][host][:port][,...][/dbname][?param=value&...]}, after the scheme.
     *
     * @param jdbc pgJDBC's reading: {@code +} in a query value is a space, user and password come as parameters
     */
    static PastedConnection uri(String rest, boolean jdbc) {
        List<String> notes = new ArrayList<>();
        Map<String, String> params = new LinkedHashMap<>();
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        String path = slash >= 0 ? rest.substring(slash + 1) : null;
        int at = authority.indexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
            if (!user.isEmpty()) params.put("user", decode(user, false));
            if (colon >= 0) params.put("password", "");
        }
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        int i = 0;
        while (i < authority.length()) {
            String host;
            if (authority.charAt(i) == '[') {
                int close = authority.indexOf(']', i);
                if (close < 0) throw new IllegalArgumentException("an IPv6 address in the URI has no closing \"]\"");
                host = authority.substring(i + 1, close);
                i = close + 1;
            } else {
                int end = i;
                while (end < authority.length() && authority.charAt(end) != ':' && authority.charAt(end) != ',') end++;
                host = decode(authority.substring(i, end), false);
                i = end;
            }
            String port = "";
            if (i < authority.length() && authority.charAt(i) == ':') {
                int end = authority.indexOf(',', i);
                if (end < 0) end = authority.length();
                port = authority.substring(i + 1, end);
                i = end;
            }
            if (i < authority.length()) {
                if (authority.charAt(i) != ',') throw new IllegalArgumentException("unexpected \"" + authority.charAt(i) + "\" after the host");
                i++;
            }
            hosts.add(host);
            ports.add(port);
        }
        if (!hosts.isEmpty()) {
            params.put("host", String.join(",", hosts));
            params.put("port", String.join(",", ports));
        }
        if (path != null && !path.isEmpty()) params.put("dbname", decode(path, false));
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                if (eq < 0) throw new IllegalArgumentException("the URI parameter \"" + pair + "\" has no \"=\"");
                String key = decode(pair.substring(0, eq), jdbc);
                String value = decode(pair.substring(eq + 1), jdbc);
                params.put(key, value);
            }
        }
        return fromParameters(params, notes);
    }

    /** What the parameters name, libpq's and pgJDBC's; the rest (sslmode and the like) does not concern the upstream profile. */
    private static PastedConnection fromParameters(Map<String, String> params, List<String> notes) {
        if (params.containsKey("password")) notes.add(PASSWORD_NOTE);
        List<String> hosts = list(params.get("host"));
        List<String> addresses = list(params.get("hostaddr"));
        List<String> ports = list(params.get("port"));
        String host = hosts.isEmpty() ? null : hosts.get(0);
        String address = addresses.isEmpty() ? null : addresses.get(0);
        int servers = Math.max(hosts.size(), addresses.size());
        if (servers > 1) {
            notes.add("The string names " + servers + " servers; the first is used. Make a profile for each server you need.");
        }
        if (host != null && (host.startsWith("/") || host.startsWith("@"))) {
            throw new IllegalArgumentException("\"" + host + "\" is a Unix socket, not a server Verifull can reach over TLS; "
                    + "give the server's host name");
        }
        if (params.containsKey("service") && host == null && address == null) {
            notes.add("It names the service \"" + params.get("service") + "\" from pg_service.conf: enter that service's host and port.");
        }
        String portText = ports.isEmpty() ? null : ports.get(0); // one port for several hosts applies to all
        Integer port = portText == null || portText.isEmpty() ? null : port(portText);
        String database = emptyToNull(params.getOrDefault("dbname", params.get("database")));
        String user = emptyToNull(params.get("user"));
        // With hostaddr, libpq connects there and checks the certificate against host.
        String target = address != null ? address : emptyToNull(host);
        String serverName = address != null ? emptyToNull(host) : null;
        String rootCert = emptyToNull(params.get("sslrootcert"));
        if (target == null && port == null && database == null && user == null && rootCert == null) {
            throw new IllegalArgumentException("it names no host, port, database or user");
        }
        return new PastedConnection(target, port, database, user, serverName, rootCert, notes);
    }

    private static Integer port(String text) {
        int p;
        try {
            p = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a port number");
        }
        if (p < 1 || p > 65535) throw new IllegalArgumentException("port " + p + " is not 1–65535");
        return p;
    }

    private static List<String> list(String commaSeparated) {
        List<String> out = new ArrayList<>();
        if (commaSeparated == null || commaSeparated.isEmpty()) return out;
        for (String part : commaSeparated.split(",", -1)) out.add(unbracket(part.strip()));
        return out;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Percent-decoding to UTF-8 as libpq does it; {@code plusIsSpace} as Java's URL decoding (pgJDBC) does. */
    static String decode(String s, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("\"" + s + "\" has an incomplete %-escape");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new IllegalArgumentException("\"" + s + "\" has an invalid %-escape");
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    bytes = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(bytes);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
