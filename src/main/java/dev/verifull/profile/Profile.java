package dev.verifull.profile;

import java.util.List;

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
        boolean allowThisMachine) {

    public enum Binding { TAILNET, LOCAL_ONLY }

    public static final int DEFAULT_LISTEN_PORT = 6432;
    /** What "Low latency" in the editor sets: long enough to catch a server's reply to a simple query. */
    public static final int LOW_LATENCY_POLL_MICROS = 50;

    public Profile {
        caFiles = caFiles == null ? List.of() : List.copyOf(caFiles);
        allowUsers = allowUsers == null ? List.of() : List.copyOf(allowUsers);
        allowTags = allowTags == null ? List.of() : List.copyOf(allowTags);
        if (binding == null) binding = Binding.TAILNET;
        if (tlsProvider == null || tlsProvider.isBlank()) tlsProvider = "auto";
        if (maxSessions <= 0) maxSessions = EngineLimits.DEFAULT_MAX_SESSIONS;
        if (upstreamPort <= 0) upstreamPort = 5432;
    }

    /** Without {@code allowThisMachine} (off), as profiles were before it existed. */
    public Profile(String name, String upstreamHost, int upstreamPort, String serverName, List<String> caFiles,
            boolean systemTrust, String clientCertificateFile, String clientKeyFile, boolean tls13Only, boolean directTls,
            int listenPort, Binding binding, List<String> allowUsers, List<String> allowTags, String allowCapability,
            String defaultDatabase, String defaultUser, boolean startWithApp, String tlsProvider, int maxSessions,
            int warmUpstreams, int busyPollMicros) {
        this(name, upstreamHost, upstreamPort, serverName, caFiles, systemTrust, clientCertificateFile, clientKeyFile,
                tls13Only, directTls, listenPort, binding, allowUsers, allowTags, allowCapability, defaultDatabase,
                defaultUser, startWithApp, tlsProvider, maxSessions, warmUpstreams, busyPollMicros, false);
    }

    /** A new profile with sensible defaults, for the editor's "New profile". */
    public static Profile blank(String name, int listenPort) {
        return new Profile(name, "", 5432, null, List.of(), false, null, null, false, false, listenPort,
                Binding.TAILNET, List.of(), List.of(), null, "postgres", null, false, "auto",
                EngineLimits.DEFAULT_MAX_SESSIONS, 0, 0);
    }

    public boolean hasAccessRules() {
        return !allowUsers.isEmpty() || !allowTags.isEmpty() || (allowCapability != null && !allowCapability.isBlank());
    }

    public Profile withName(String newName) {
        return new Profile(newName, upstreamHost, upstreamPort, serverName, caFiles, systemTrust, clientCertificateFile,
                clientKeyFile, tls13Only, directTls, listenPort, binding, allowUsers, allowTags, allowCapability,
                defaultDatabase, defaultUser, startWithApp, tlsProvider, maxSessions, warmUpstreams, busyPollMicros,
                allowThisMachine);
    }

    public Profile withAllowThisMachine(boolean allow) {
        return new Profile(name, upstreamHost, upstreamPort, serverName, caFiles, systemTrust, clientCertificateFile,
                clientKeyFile, tls13Only, directTls, listenPort, binding, allowUsers, allowTags, allowCapability,
                defaultDatabase, defaultUser, startWithApp, tlsProvider, maxSessions, warmUpstreams, busyPollMicros, allow);
    }
}
