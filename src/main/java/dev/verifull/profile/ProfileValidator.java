package dev.verifull.profile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.verifull.engine.EngineLimits;
import dev.verifull.tls.TlsProvider;

/**
 * Checks a profile field by field, for the editor's inline messages and before saving or serving.
 * Pure apart from looking at whether the referenced files exist and are readable; their content
 * is checked by {@link CertificateFileInfo} and when the engine starts. Access rules get the shapes
 * the engine's rules accept (no rules at all is valid: any identified tailnet peer may connect).
 */
public final class ProfileValidator {
    /** The editor's fields, in the order the messages are listed. */
    public enum Field {
        NAME, UPSTREAM_HOST, UPSTREAM_PORT, SERVER_NAME, CA_FILES, CLIENT_CERTIFICATE, CLIENT_KEY, LISTEN_PORT,
        ALLOW_USERS, ALLOW_TAGS, ALLOW_CAPABILITY, DEFAULT_DATABASE, DEFAULT_USER, TLS_PROVIDER, MAX_SESSIONS,
        WARM_UPSTREAMS, BUSY_POLL, METRICS_PORT
    }

    public static final int MAX_NAME_LENGTH = 64;
    /** PostgreSQL truncates longer identifiers (NAMEDATALEN - 1). */
    private static final int MAX_IDENTIFIER_BYTES = 63;

    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
    /** Tailscale login names: {@code alice@example.com}, {@code alice@github}; or {@code *@domain}. */
    private static final Pattern USER_RULE = Pattern.compile("(\\*|[^@\\s*]+)@[^@\\s*]+");
    /** Tailscale tags: {@code tag:ci}; the engine reads a bare {@code ci} the same way. */
    private static final Pattern TAG = Pattern.compile("(tag:)?[A-Za-z0-9][A-Za-z0-9_-]*");
    /** Tailscale app capabilities: a domain, then a path, e.g. {@code verifull.dev/cap/postgres}. */
    private static final Pattern CAPABILITY = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+(/[A-Za-z0-9._~-]+)+");

    private ProfileValidator() {}

    /**
     * @param otherNames the names of the other saved profiles (not this one's own saved name)
     * @return a message per invalid field, in {@link Field} order; empty when the profile is valid
     */
    public static Map<Field, String> validate(Profile p, Collection<String> otherNames) {
        Map<Field, String> problems = new EnumMap<>(Field.class);
        check(problems, Field.NAME, name(p.name(), otherNames));
        check(problems, Field.UPSTREAM_HOST, host(p.upstreamHost(), true));
        check(problems, Field.UPSTREAM_PORT, port(p.upstreamPort()));
        check(problems, Field.SERVER_NAME, blank(p.serverName()) ? null : host(p.serverName(), false));
        check(problems, Field.CA_FILES, caFiles(p));
        check(problems, Field.CLIENT_CERTIFICATE, clientPart(p.clientCertificateFile(), p.clientKeyFile(),
                "client certificate", "Add the client certificate for this key, or remove the key"));
        check(problems, Field.CLIENT_KEY, clientPart(p.clientKeyFile(), p.clientCertificateFile(),
                "client key", "Add the private key of the client certificate, or remove the certificate"));
        check(problems, Field.LISTEN_PORT, port(p.listenPort()));
        check(problems, Field.ALLOW_USERS, firstBad(p.allowUsers(), USER_RULE,
                "User rules are login names (alice@example.com) or *@domain"));
        check(problems, Field.ALLOW_TAGS, firstBad(p.allowTags(), TAG, "Tags look like tag:name"));
        check(problems, Field.ALLOW_CAPABILITY, blank(p.allowCapability()) || CAPABILITY.matcher(p.allowCapability()).matches()
                ? null : "Capability names look like verifull.dev/cap/postgres");
        check(problems, Field.DEFAULT_DATABASE, identifier(p.defaultDatabase(), "Database name"));
        check(problems, Field.DEFAULT_USER, identifier(p.defaultUser(), "User name"));
        check(problems, Field.TLS_PROVIDER, provider(p.tlsProvider()));
        check(problems, Field.MAX_SESSIONS, EngineLimits.validMaxSessions(p.maxSessions())
                && p.maxSessions() <= EngineLimits.EDITOR_MAX_SESSIONS ? null : "Maximum sessions must be 1–" + EngineLimits.EDITOR_MAX_SESSIONS);
        check(problems, Field.WARM_UPSTREAMS, warmUpstreams(p.warmUpstreams()));
        check(problems, Field.BUSY_POLL, busyPoll(p.busyPollMicros()));
        check(problems, Field.METRICS_PORT, metricsPort(p.metricsPort(), p.listenPort()));
        return Collections.unmodifiableMap(problems);
    }

    /** The problem with a count of warm upstream connections, or null; the engine spec names it the same way. */
    public static String warmUpstreams(int count) {
        return EngineLimits.validWarmUpstreams(count) ? null
                : "Keep 0–" + EngineLimits.MAX_WARM_UPSTREAMS + " connections ready: each one holds a server connection slot";
    }

    /** The problem with a metrics port (0 = off), or null; the engine spec names it the same way. */
    public static String metricsPort(int port, int listenPort) {
        if (port == 0) return null;
        if (port < 1 || port > 65535) return "The metrics port must be 1–65535, or empty for no metrics";
        return port == listenPort ? "The metrics port must differ from the listen port" : null;
    }

    /** The problem with a busy-poll time, or null; the engine spec names it the same way. */
    public static String busyPoll(int micros) {
        return EngineLimits.validBusyPoll(micros) ? null
                : "Look for traffic 0–" + EngineLimits.MAX_BUSY_POLL_MICROS + " µs before sleeping (0 = off)";
    }

    private static void check(Map<Field, String> problems, Field field, String message) {
        if (message != null) problems.put(field, message);
    }

    private static String name(String name, Collection<String> others) {
        if (blank(name)) return "Name is required";
        if (!name.equals(name.strip())) return "Name must not start or end with a space";
        if (name.length() > MAX_NAME_LENGTH) return "Name is too long (at most " + MAX_NAME_LENGTH + " characters)";
        if (hasControlCharacter(name)) return "Name contains a control character";
        for (String other : others) {
            // Names are typed on command lines (serve --profile) and in capability grants: case must not matter.
            if (other != null && other.strip().equalsIgnoreCase(name)) return "Another profile is already called '" + other.strip() + "'";
        }
        return null;
    }

    /** A DNS name or IP address (IPv6 with or without brackets), with the usual mistakes named. */
    static String host(String host, boolean required) {
        if (blank(host)) return required ? "Host is required" : null;
        if (host.chars().anyMatch(Character::isWhitespace)) return "Host name or IP address contains spaces";
        if (host.contains("://")) return "Enter only the host name, without postgresql:// or other prefixes";
        if (host.contains("/") || host.contains("@") || host.contains("?")) return "Enter only the host name or IP address";
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.contains(":")) {
            if (IPV6.matcher(bare).matches() && isIpv6(bare)) return null;
            return bare.indexOf(':') == bare.lastIndexOf(':') ? "Put the port in the port field, not after the host"
                    : "Not a valid IPv6 address";
        }
        if (bare.matches("[0-9.]+")) return IPV4.matcher(bare).matches() ? null : "Not a valid IPv4 address";
        String dns = bare.endsWith(".") ? bare.substring(0, bare.length() - 1) : bare;
        if (dns.length() > 253) return "Host name is too long";
        for (String label : dns.split("\\.", -1)) {
            if (label.isEmpty()) return "Host name has an empty part (two dots in a row?)";
            if (!DNS_LABEL.matcher(label).matches()) {
                return label.length() > 63 ? "Host name parts are at most 63 characters"
                        : "Host names use letters, digits, dashes and dots";
            }
        }
        return null;
    }

    private static boolean isIpv6(String s) {
        try {
            String noZone = s.contains("%") ? s.substring(0, s.indexOf('%')) : s;
            // In brackets the JDK parses a literal or fails; it never asks DNS.
            java.net.InetAddress.getByName("[" + noZone + "]");
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static String port(int port) {
        return port >= 1 && port <= 65535 ? null : "Port must be 1–65535";
    }

    private static String caFiles(Profile p) {
        if (p.systemTrust()) return null; // CA files are ignored with the system trust store
        if (p.caFiles().isEmpty()) return "Add at least one CA file, or use the system trust store";
        for (String f : p.caFiles()) {
            String problem = readable(f, "CA file");
            if (problem != null) return problem;
        }
        return null;
    }

    private static String clientPart(String file, String partner, String what, String missingAdvice) {
        if (blank(file)) return blank(partner) ? null : "Client certificate and key go together. " + missingAdvice;
        return readable(file, capitalize(what));
    }

    private static String readable(String file, String what) {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            return what + " " + file + " is not a valid path";
        }
        if (!Files.exists(path)) return what + " " + file + " does not exist";
        if (Files.isDirectory(path)) return what + " " + file + " is a folder, not a file";
        if (!Files.isReadable(path)) return what + " " + file + " cannot be read (permission denied)";
        return null;
    }

    private static String firstBad(List<String> values, Pattern pattern, String message) {
        for (String v : values) {
            if (v == null || !pattern.matcher(v).matches()) return message + (blank(v) ? "" : " ('" + v + "' is not)");
        }
        return null;
    }

    private static String identifier(String value, String what) {
        if (value == null || value.isEmpty()) return null; // optional: left out of connection strings
        if (value.indexOf('\0') >= 0 || hasControlCharacter(value)) return what + " contains a control character";
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
            return what + " is too long (PostgreSQL keeps at most " + MAX_IDENTIFIER_BYTES + " bytes)";
        }
        return null;
    }

    private static String provider(String id) {
        TlsProvider provider;
        try {
            provider = TlsProvider.parse(id);
        } catch (IllegalArgumentException e) {
            return "Unknown TLS provider '" + id + "' (use " + EngineLimits.tlsProviderChoices() + ")";
        }
        String unavailable = provider.unavailableReason();
        return unavailable == null ? null : unavailable;
    }

    private static boolean hasControlCharacter(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
