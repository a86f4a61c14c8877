package dev.verifull.profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.verifull.engine.EngineLimits;

/**
 * One saved upstream and how to serve it. Stored in {@code profiles.json}; file paths of CA and
 * client certificate files point into the app-data {@code ca/} directory (copied on import).
 *
 * @param name            unique, shown everywhere, used as the engine name
 * @param serverName      name the upstream certificate must match; null = the host
 * @param caFiles         PEM files with the CA certificates to trust (empty when systemTrust)
 * @param binding         where the engine listens: the tailnet addresses or loopback only
 * @param allowUsers      Tailscale login names allowed (exact, or {@code *@domain})
 * @param allowTags       Tailscale tags allowed (e.g. {@code tag:ci})
 * @param allowCapability Tailscale app capability whose values list allowed profile names
 * @param defaultDatabase database put into copied connection strings
 * @param defaultUser     user put into copied connection strings
 * @param tlsProvider     {@code auto} (OpenSSL where it loads, else the JDK), {@code jdk}, {@code bc} or {@code openssl}
 * @param warmUpstreams   verified upstream connections the engine keeps ready per I/O thread; 0 = none
 *                        (also what files written before this field read as)
 * @param busyPollMicros  how long the engine's I/O thread looks for traffic before it sleeps (0 = off, the
 *                        default): cuts the latency the proxy adds to each round trip, for a processor kept
 *                        busy while queries flow; such an engine gets I/O threads of its own
 * @param allowThisMachine a tailnet profile admits connections from this machine itself (to its own
 *                        Tailscale address), recorded as "this machine": Tailscale names every local
 *                        user as the machine's owner, so this is off by default (false in older files)
 * @param offerClientTls  answer a client's SSLRequest with 'S' and accept direct TLS (false, the default:
 *                        'N', so clients that prefer TLS go on in plaintext and SCRAM works with their
 *                        default channel binding; files written before this field read as false)
 * @param importedFrom    for each imported CA, client certificate or key file (the copy in the app-data
 *                        {@code ca/} folder), the path the user chose it from; shown so people recognise
 *                        their own file. Files written before this field read as empty
 */
public record Profile(
        String name,
        String upstreamHost,
        int upstreamPort,
        String serverName,
        List<String> caFiles,
        boolean systemTrust,
        String clientCertificateFile,
        String clientKeyFile,
        boolean tls13Only,
        boolean directTls,
        int listenPort,
        Binding binding,
        List<String> allowUsers,
        List<String> allowTags,
        String allowCapability,
        String defaultDatabase,
        String defaultUser,
        boolean startWithApp,
        String tlsProvider,
        int maxSessions,
        int warmUpstreams,
        int busyPollMicros,
        boolean allowThisMachine,
        boolean offerClientTls,
        Map<String, String> importedFrom) {

    public enum Binding { TAILNET, LOCAL_ONLY }

    public static final int DEFAULT_LISTEN_PORT = 6432;
    /** What "Low latency" in the editor sets, on for new profiles: serve's default. */
    public static final int LOW_LATENCY_POLL_MICROS = EngineLimits.DEFAULT_BUSY_POLL_MICROS;

    public Profile {
        caFiles = caFiles == null ? List.of() : List.copyOf(caFiles);
        allowUsers = allowUsers == null ? List.of() : List.copyOf(allowUsers);
        allowTags = allowTags == null ? List.of() : List.copyOf(allowTags);
        if (binding == null) binding = Binding.TAILNET;
        if (tlsProvider == null || tlsProvider.isBlank()) tlsProvider = "auto";
        if (maxSessions <= 0) maxSessions = EngineLimits.DEFAULT_MAX_SESSIONS;
        if (upstreamPort <= 0) upstreamPort = 5432;
        importedFrom = importedFrom == null ? Map.of() : withoutNulls(importedFrom);
    }

    /** A profile as files before {@code offerClientTls} and {@code importedFrom} describe it: TLS to clients off, no origins. */
    public Profile(String name, String upstreamHost, int upstreamPort, String serverName, List<String> caFiles,
                   boolean systemTrust, String clientCertificateFile, String clientKeyFile, boolean tls13Only,
                   boolean directTls, int listenPort, Binding binding, List<String> allowUsers, List<String> allowTags,
                   String allowCapability, String defaultDatabase, String defaultUser, boolean startWithApp,
                   String tlsProvider, int maxSessions, int warmUpstreams, int busyPollMicros) {
        this(name, upstreamHost, upstreamPort, serverName, caFiles, systemTrust, clientCertificateFile, clientKeyFile,
                tls13Only, directTls, listenPort, binding, allowUsers, allowTags, allowCapability, defaultDatabase,
                defaultUser, startWithApp, tlsProvider, maxSessions, warmUpstreams, busyPollMicros, false, false, Map.of());
    }

    /** Without TLS to clients and import origins, as the editor builds a profile from its fields. */
    public Profile(String name, String upstreamHost, int upstreamPort, String serverName, List<String> caFiles,
            boolean systemTrust, String clientCertificateFile, String clientKeyFile, boolean tls13Only, boolean directTls,
            int listenPort, Binding binding, List<String> allowUsers, List<String> allowTags, String allowCapability,
            String defaultDatabase, String defaultUser, boolean startWithApp, String tlsProvider, int maxSessions,
            int warmUpstreams, int busyPollMicros, boolean allowThisMachine) {
        this(name, upstreamHost, upstreamPort, serverName, caFiles, systemTrust, clientCertificateFile, clientKeyFile,
                tls13Only, directTls, listenPort, binding, allowUsers, allowTags, allowCapability, defaultDatabase,
                defaultUser, startWithApp, tlsProvider, maxSessions, warmUpstreams, busyPollMicros, allowThisMachine,
                false, Map.of());
    }

    /** A new profile with sensible defaults, for the editor's "New profile". */
    public static Profile blank(String name, int listenPort) {
        return new Profile(name, "", 5432, null, List.of(), false, null, null, false, false, listenPort,
                Binding.TAILNET, List.of(), List.of(), null, "postgres", null, false, "auto",
                EngineLimits.DEFAULT_MAX_SESSIONS, 0, LOW_LATENCY_POLL_MICROS, false, false, Map.of());
    }

    public boolean hasAccessRules() {
        return !allowUsers.isEmpty() || !allowTags.isEmpty() || (allowCapability != null && !allowCapability.isBlank());
    }

    public Profile withName(String newName) {
        return new Profile(newName, upstreamHost, upstreamPort, serverName, caFiles, systemTrust, clientCertificateFile,
                clientKeyFile, tls13Only, directTls, listenPort, binding, allowUsers, allowTags, allowCapability,
                defaultDatabase, defaultUser, startWithApp, tlsProvider, maxSessions, warmUpstreams, busyPollMicros,
                allowThisMachine, offerClientTls, importedFrom);
    }

    public Profile withAllowThisMachine(boolean allow) {
        return new Profile(name, upstreamHost, upstreamPort, serverName, caFiles, systemTrust, clientCertificateFile,
                clientKeyFile, tls13Only, directTls, listenPort, binding, allowUsers, allowTags, allowCapability,
                defaultDatabase, defaultUser, startWithApp, tlsProvider, maxSessions, warmUpstreams, busyPollMicros, allow,
                offerClientTls, importedFrom);
    }

    /** The path the user chose an imported file from, or null when it is not known (older files, a file not imported). */
    public String originalOf(String file) {
        return file == null ? null : importedFrom.get(file);
    }

    /**
     * An imported file as people know it: "/home/me/Downloads/rds.pem (a copy is kept in the app data: …/ca/rds-3f9a61c2.pem)",
     * or the path alone when its origin is not known.
     */
    public String describeFile(String file) {
        String original = originalOf(file);
        return original == null || original.equals(file) ? file : original + " (a copy is kept in the app data: " + file + ")";
    }

    private static Map<String, String> withoutNulls(Map<String, String> map) {
        Map<String, String> kept = new LinkedHashMap<>();
        map.forEach((copy, original) -> {
            if (copy != null && original != null) kept.put(copy, original);
        });
        return java.util.Collections.unmodifiableMap(kept);
    }
}
