package dev.verifull.manager;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.verifull.engine.EngineLimits;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator;
import dev.verifull.tailnet.AccessRules;
import dev.verifull.tls.TlsProvider;
import dev.verifull.tls.UpstreamTlsSettings;

/**
 * A checked, immutable description of one engine: the upstream and how to verify it, where to
 * listen, who may connect, and its limits. The app makes one from a saved profile; {@code serve}
 * from its options ({@link Builder#build}) or from a saved profile with the options that may go
 * with it ({@link Builder#buildOver}). Every setting is checked here, before any file is read or
 * anything listens, and a problem is worded for where the setting came from: the option that set
 * it, or the profile. {@link EngineAssembly} turns a spec into a running engine.
 *
 * @param name                   engine name in logs, audit records and access decisions
 * @param serverName             the name the upstream certificate must carry; null means the host
 * @param directTls              PostgreSQL 17+ direct TLS towards the upstream
 * @param upstreamTls            trust (CA files or the system's), client certificate, TLS 1.3 only, TLS provider
 * @param listen                 the fixed listen addresses; empty on the tailnet
 * @param tailnetPort            the port on the Tailscale addresses; null when the addresses are fixed
 * @param accessRules            who may connect, with {@link IdentityMode#TAILSCALE}; no rules otherwise
 * @param warmUpstreams          verified upstream connections kept ready per I/O thread; 0 = none
 * @param busyPollMicros         how long an I/O thread polls before it sleeps; above 0 the engine gets I/O threads of its own
 * @param offerClientTls         answer SSLRequest with 'S' and accept direct TLS from clients; off, clients get 'N'
 *                               (as PgBouncer's default {@code client_tls_sslmode=disable}) and direct TLS is refused
 * @param localCaDir             where the local CA lives; null means the app-data dir's
 * @param clientCertificateNames extra DNS names for the client-facing certificate
 * @param tailscaleSocket        tailscaled's LocalAPI socket; null means found the way the tailscale CLI finds it
 * @param metricsListen          where to serve {@code /metrics}, {@code /healthz} and {@code /readyz}; null = nowhere
 *                               (the default): serve's {@code --metrics-listen}, or a profile's metrics port on 127.0.0.1
 */
public record EngineSpec(
        String name,
        String upstreamHost,
        int upstreamPort,
        String serverName,
        boolean directTls,
        UpstreamTlsSettings upstreamTls,
        List<InetSocketAddress> listen,
        Integer tailnetPort,
        IdentityMode identity,
        AccessRules accessRules,
        int maxSessions,
        Duration handshakeTimeout,
        Duration connectTimeout,
        int warmUpstreams,
        int busyPollMicros,
        boolean offerClientTls,
        Path localCaDir,
        List<String> clientCertificateNames,
        Path tailscaleSocket,
        InetSocketAddress metricsListen) {

    /** What the builder has checked with messages for people, held again so no unchecked spec can exist. */
    public EngineSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(upstreamHost, "upstreamHost");
        Objects.requireNonNull(upstreamTls, "upstreamTls");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(accessRules, "accessRules");
        listen = List.copyOf(listen);
        clientCertificateNames = List.copyOf(clientCertificateNames);
        boolean inRange = upstreamPort >= 1 && upstreamPort <= 65535 && EngineLimits.validMaxSessions(maxSessions)
                && EngineLimits.validTimeout((int) handshakeTimeout.toSeconds()) && EngineLimits.validTimeout((int) connectTimeout.toSeconds())
                && EngineLimits.validWarmUpstreams(warmUpstreams) && EngineLimits.validBusyPoll(busyPollMicros)
                && (tailnetPort == null || tailnetPort >= 0 && tailnetPort <= 65535 && listen.isEmpty());
        if (!inRange) throw new IllegalArgumentException("engine " + name + ": settings out of range; check them with EngineSpec.builder()");
    }

    /** A spec without metrics. */
    public EngineSpec(String name, String upstreamHost, int upstreamPort, String serverName, boolean directTls,
                      UpstreamTlsSettings upstreamTls, List<InetSocketAddress> listen, Integer tailnetPort, IdentityMode identity,
                      AccessRules accessRules, int maxSessions, Duration handshakeTimeout, Duration connectTimeout,
                      int warmUpstreams, int busyPollMicros, boolean offerClientTls, Path localCaDir,
                      List<String> clientCertificateNames, Path tailscaleSocket) {
        this(name, upstreamHost, upstreamPort, serverName, directTls, upstreamTls, listen, tailnetPort, identity, accessRules,
                maxSessions, handshakeTimeout, connectTimeout, warmUpstreams, busyPollMicros, offerClientTls, localCaDir,
                clientCertificateNames, tailscaleSocket, null);
    }

    /** This spec with other trust settings (to tell a change of trust alone from other changes). */
    public EngineSpec withUpstreamTls(UpstreamTlsSettings tls) {
        return new EngineSpec(name, upstreamHost, upstreamPort, serverName, directTls, tls, listen, tailnetPort, identity,
                accessRules, maxSessions, handshakeTimeout, connectTimeout, warmUpstreams, busyPollMicros, offerClientTls,
                localCaDir, clientCertificateNames, tailscaleSocket, metricsListen);
    }

    /** The engine a saved profile describes, as the app starts it. */
    public static EngineSpec fromProfile(Profile profile) throws InvalidSpecException {
        return builder().buildOver(profile);
    }

    /** Serve's options, or the settings that go with a profile (see {@link Builder#buildOver}). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A profile's trust settings, checked: the upstream tester verifies exactly what an engine of
     * the profile would.
     */
    public static UpstreamTlsSettings upstreamTls(Profile p) throws InvalidSpecException {
        TlsProvider provider;
        try {
            provider = TlsProvider.parse(p.tlsProvider());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("unknown TLS provider '" + p.tlsProvider() + "' (use "
                    + EngineLimits.tlsProviderChoices() + ")");
        }
        if (!provider.isAvailable()) {
            throw new InvalidSpecException("TLS provider " + p.tlsProvider() + " is not available here: " + provider.unavailableReason());
        }
        if (p.caFiles().isEmpty() && !p.systemTrust()) {
            throw new InvalidSpecException("profile '" + p.name() + "' has no CA file and does not use the system trust store");
        }
        try {
            return new UpstreamTlsSettings(p.systemTrust() ? List.of() : p.caFiles().stream().map(Path::of).toList(),
                    p.systemTrust(), pathOrNull(p.clientCertificateFile()), pathOrNull(p.clientKeyFile()), p.tls13Only(), provider,
                    fileNames(p));
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(e.getMessage());
        }
    }

    /**
     * Listens on this machine's Tailscale addresses, on {@link #tailnetPort}, following them; else
     * on the fixed {@link #listen} addresses.
     */
    public boolean onTailnet() {
        return tailnetPort != null;
    }

    /**
     * The upstream half of this spec as a profile, so "Test upstream" ({@code check.UpstreamTester})
     * checks a {@code serve} engine's upstream exactly as the app checks a profile's: host, port,
     * server name, direct TLS, trust, client certificate, TLS 1.3 only and the TLS provider.
     */
    public Profile upstreamProfile() {
        UpstreamTlsSettings t = upstreamTls;
        return new Profile(name, upstreamHost, upstreamPort, serverName, t.caFiles().stream().map(Path::toString).toList(),
                t.systemTrust(), t.clientCertificate() == null ? null : t.clientCertificate().toString(),
                t.clientKey() == null ? null : t.clientKey().toString(), t.tls13Only(), directTls, 0,
                Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null, null, null, false, t.provider().id(),
                maxSessions, warmUpstreams, busyPollMicros);
    }

    /** The files the user chose, as messages name them: the user's own path and that a copy is kept. */
    private static Map<Path, String> fileNames(Profile p) {
        Map<Path, String> names = new HashMap<>();
        List<String> files = new ArrayList<>(p.caFiles());
        files.add(p.clientCertificateFile());
        files.add(p.clientKeyFile());
        for (String f : files) {
            if (f != null && !f.isBlank() && p.originalOf(f) != null) names.put(Path.of(f), p.describeFile(f));
        }
        return names;
    }

    private static Path pathOrNull(String file) {
        return file == null || file.isBlank() ? null : Path.of(file);
    }

    /** The numbers and the client TLS switch, once checked: what an option may set over a profile's value. */
    private record Limits(int maxSessions, int handshakeTimeoutSeconds, int connectTimeoutSeconds, int warmUpstreams,
                          int busyPollMicros, boolean offerClientTls) {}

    /**
     * The settings as {@code serve}'s options give them; null, false or empty means not given.
     * The setter names follow the settings, the messages the options.
     */
    public static final class Builder {
        // What a saved profile holds itself: given with --profile, these are a mistake.
        private String name;
        private String identity;
        private final List<String> listenHosts = new ArrayList<>();
        private final List<Integer> listenPorts = new ArrayList<>();
        private Integer tailnetPort;
        private final List<String> allowUsers = new ArrayList<>();
        private final List<String> allowTags = new ArrayList<>();
        private final List<String> allowCapabilities = new ArrayList<>();
        private boolean allowThisMachine;
        private String upstreamHost;
        private Integer upstreamPort;
        private String serverName;
        private boolean directTls;
        private final List<Path> caFiles = new ArrayList<>();
        private boolean systemTrust;
        private Path clientCertificate;
        private Path clientKey;
        private boolean tls13Only;
        private String tlsProvider;
        // What a profile does not hold, or what an option may change on it: these win over the profile.
        private Integer maxSessions;
        private Integer handshakeTimeoutSeconds;
        private Integer connectTimeoutSeconds;
        private Integer warmUpstreams;
        private Integer busyPollMicros;
        private Boolean offerClientTls;
        private Path localCaDir;
        private final List<String> clientCertificateNames = new ArrayList<>();
        private Path tailscaleSocket;
        private String metricsHost;
        private Integer metricsPort;

        private Builder() {}

        /** {@code --name}; default "serve". */
        public Builder name(String v) { name = v; return this; }
        /** {@code --identity tailscale|local|none}; default none. */
        public Builder identity(String v) { identity = v; return this; }
        /** {@code --listen}, repeatable; the host is resolved when the spec is built. */
        public Builder listen(String host, int port) { listenHosts.add(host); listenPorts.add(port); return this; }
        /** {@code --port}: the port on the Tailscale addresses. */
        public Builder tailnetPort(Integer v) { tailnetPort = v; return this; }
        public Builder allowUsers(List<String> v) { allowUsers.addAll(v); return this; }
        public Builder allowTags(List<String> v) { allowTags.addAll(v); return this; }
        public Builder allowCapabilities(List<String> v) { allowCapabilities.addAll(v); return this; }
        public Builder allowThisMachine(boolean v) { allowThisMachine = v; return this; }
        public Builder upstream(String host, int port) { upstreamHost = host; upstreamPort = port; return this; }
        public Builder serverName(String v) { serverName = v; return this; }
        public Builder directTls(boolean v) { directTls = v; return this; }
        public Builder caFiles(List<Path> v) { caFiles.addAll(v); return this; }
        public Builder systemTrust(boolean v) { systemTrust = v; return this; }
        public Builder clientCertificate(Path certificate, Path key) { clientCertificate = certificate; clientKey = key; return this; }
        public Builder tls13Only(boolean v) { tls13Only = v; return this; }
        /** {@code auto|jdk|bc|openssl}; default auto. */
        public Builder tlsProvider(String v) { tlsProvider = v; return this; }
        public Builder maxSessions(Integer v) { maxSessions = v; return this; }
        public Builder handshakeTimeoutSeconds(Integer v) { handshakeTimeoutSeconds = v; return this; }
        public Builder connectTimeoutSeconds(Integer v) { connectTimeoutSeconds = v; return this; }
        public Builder warmUpstreams(Integer v) { warmUpstreams = v; return this; }
        public Builder busyPollMicros(Integer v) { busyPollMicros = v; return this; }
        /** {@code --client-tls on|off}; default off, or the profile's "Offer TLS to clients". */
        public Builder offerClientTls(Boolean v) { offerClientTls = v; return this; }
        public Builder localCaDir(Path v) { localCaDir = v; return this; }
        public Builder clientCertificateNames(List<String> v) { clientCertificateNames.addAll(v); return this; }
        public Builder tailscaleSocket(Path v) { tailscaleSocket = v; return this; }
        /** {@code --metrics-listen}; wins over a profile's metrics port. */
        public Builder metricsListen(String host, int port) { metricsHost = host; metricsPort = port; return this; }

        /** The engine these options describe on their own. */
        public EngineSpec build() throws InvalidSpecException {
            if (upstreamHost == null) throw new InvalidSpecException("missing required option '--upstream=HOST:PORT' (or --profile NAME)");
            IdentityMode mode = IdentityMode.parse(identity != null ? identity : "none");
            if (caFiles.isEmpty() == !systemTrust) {
                throw new InvalidSpecException("give either --upstream-ca FILE (repeatable) or --upstream-system-trust");
            }
            if ((clientCertificate == null) != (clientKey == null)) {
                throw new InvalidSpecException("--upstream-client-cert and --upstream-client-key go together");
            }
            Limits limits = limits(EngineLimits.DEFAULT_MAX_SESSIONS, 0, EngineLimits.DEFAULT_BUSY_POLL_MICROS,
                    EngineLimits.DEFAULT_OFFER_CLIENT_TLS, null);
            if (upstreamPort == 0) throw new InvalidSpecException("--upstream needs a port other than 0");
            boolean onTailnet = mode == IdentityMode.TAILSCALE && listenHosts.isEmpty();
            checkIdentityOptions(mode, onTailnet);
            AccessRules rules;
            try {
                rules = new AccessRules(allowUsers, allowTags, allowCapabilities, allowThisMachine);
            } catch (IllegalArgumentException e) {
                throw new InvalidSpecException(e.getMessage());
            }
            String providerName = tlsProvider != null ? tlsProvider : TlsProvider.AUTO;
            TlsProvider provider;
            try {
                provider = TlsProvider.parse(providerName);
            } catch (IllegalArgumentException e) {
                throw new InvalidSpecException("unknown --tls-provider '" + providerName + "' (use " + EngineLimits.tlsProviderChoices() + ")");
            }
            if (!provider.isAvailable()) {
                throw new InvalidSpecException("TLS provider " + providerName + " is not available here: " + provider.unavailableReason());
            }
            UpstreamTlsSettings tls = new UpstreamTlsSettings(caFiles, systemTrust, clientCertificate, clientKey, tls13Only, provider);
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (int i = 0; i < listenHosts.size(); i++) {
                InetSocketAddress a = new InetSocketAddress(listenHosts.get(i), listenPorts.get(i));
                if (a.isUnresolved()) throw new InvalidSpecException("cannot resolve the listen address " + a.getHostString());
                if (mode == IdentityMode.LOCAL && !a.getAddress().isLoopbackAddress()) {
                    throw new InvalidSpecException("--identity local listens on loopback only, not on " + a.getHostString());
                }
                addresses.add(a);
            }
            return spec(name != null ? name : "serve", upstreamHost, upstreamPort, serverName, directTls, tls,
                    addresses, onTailnet ? (tailnetPort != null ? tailnetPort : EngineLimits.DEFAULT_TAILNET_PORT) : null,
                    mode, rules, limits, metricsListen(0, null));
        }

        /**
         * The engine a saved profile describes, with these options winning over its values
         * ({@code serve --profile NAME}; the app gives none but the local CA's directory). The
         * profile holds the upstream, its trust and TLS settings, where to listen, the identity
         * and the access rules, and the name: an option that sets one of those is an error.
         */
        public EngineSpec buildOver(Profile p) throws InvalidSpecException {
            checkGoesWithAProfile();
            UpstreamTlsSettings tls = upstreamTls(p);
            Limits limits = limits(p.maxSessions(), p.warmUpstreams(), p.busyPollMicros(), p.offerClientTls(), p.name());
            boolean local = p.binding() == Profile.Binding.LOCAL_ONLY;
            IdentityMode mode = local ? IdentityMode.LOCAL : IdentityMode.TAILSCALE;
            checkTailscaleSocket(mode);
            AccessRules rules;
            try {
                rules = local ? AccessRules.ANY_PEER : AccessRules.forProfile(p);
            } catch (IllegalArgumentException e) {
                throw new InvalidSpecException(e.getMessage());
            }
            if (p.listenPort() < 0 || p.listenPort() > 65535) {
                throw new InvalidSpecException("profile '" + p.name() + "': listen port " + p.listenPort() + " is not a port");
            }
            List<InetSocketAddress> listen = local
                    ? List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), p.listenPort())) : List.of();
            return spec(p.name(), p.upstreamHost(), p.upstreamPort(), p.serverName(), p.directTls(), tls,
                    listen, local ? null : p.listenPort(), mode, rules, limits, metricsListen(p.metricsPort(), p));
        }

        /**
         * The numbers and the client TLS switch: an option's value when given (its problem named after
         * the option), else the profile's (named after the profile, in the editor's words) or the default.
         *
         * @param profile the profile's name; null when there is none
         */
        private Limits limits(int profileMaxSessions, int profileWarm, int profilePoll, boolean profileClientTls, String profile)
                throws InvalidSpecException {
            int sessions = maxSessions != null ? maxSessions : profileMaxSessions;
            if (!EngineLimits.validMaxSessions(sessions)) throw new InvalidSpecException("--max-sessions must be at least 1");
            int handshake = handshakeTimeoutSeconds != null ? handshakeTimeoutSeconds : EngineLimits.DEFAULT_TIMEOUT_SECONDS;
            if (!EngineLimits.validTimeout(handshake)) throw new InvalidSpecException("--handshake-timeout must be at least 1 second");
            int connect = connectTimeoutSeconds != null ? connectTimeoutSeconds : EngineLimits.DEFAULT_TIMEOUT_SECONDS;
            if (!EngineLimits.validTimeout(connect)) throw new InvalidSpecException("--connect-timeout must be at least 1 second");
            int warm = warmUpstreams != null ? warmUpstreams : profileWarm;
            if (!EngineLimits.validWarmUpstreams(warm)) {
                // A hand-edited profiles.json is not checked on load: a large count would take many server slots.
                throw new InvalidSpecException(warmUpstreams != null || profile == null
                        ? "--warm-upstreams must be 0-" + EngineLimits.MAX_WARM_UPSTREAMS
                                + " (each one holds a server connection slot, per I/O thread)"
                        : "profile '" + profile + "': " + ProfileValidator.warmUpstreams(warm));
            }
            int poll = busyPollMicros != null ? busyPollMicros : profilePoll;
            if (!EngineLimits.validBusyPoll(poll)) {
                throw new InvalidSpecException(busyPollMicros != null || profile == null
                        ? "--busy-poll-us must be 0-" + EngineLimits.MAX_BUSY_POLL_MICROS
                        : "profile '" + profile + "': " + ProfileValidator.busyPoll(poll));
            }
            return new Limits(sessions, handshake, connect, warm, poll, offerClientTls != null ? offerClientTls : profileClientTls);
        }

        /**
         * Where metrics are served: {@code --metrics-listen} when given, else the profile's port on
         * 127.0.0.1 (the app offers no other address: metrics are for this machine unless an
         * operator says otherwise), else nowhere.
         */
        private InetSocketAddress metricsListen(int profilePort, Profile p) throws InvalidSpecException {
            if (metricsHost != null) {
                if (metricsPort < 0 || metricsPort > 65535) throw new InvalidSpecException("--metrics-listen needs a port 0-65535");
                InetSocketAddress a = new InetSocketAddress(metricsHost, metricsPort);
                if (a.isUnresolved()) throw new InvalidSpecException("cannot resolve the --metrics-listen address " + metricsHost);
                return a;
            }
            if (profilePort == 0) return null;
            String problem = ProfileValidator.metricsPort(profilePort, p.listenPort());
            if (problem != null) throw new InvalidSpecException("profile '" + p.name() + "': " + problem);
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), profilePort);
        }

        /** Whether these options may go with a profile: an option for what the profile holds itself is a mistake. */
        public void checkGoesWithAProfile() throws InvalidSpecException {
            if (upstreamHost != null || !caFiles.isEmpty() || systemTrust || clientCertificate != null || clientKey != null
                    || serverName != null || directTls || !listenHosts.isEmpty() || !allowUsers.isEmpty()
                    || !allowTags.isEmpty() || !allowCapabilities.isEmpty() || allowThisMachine) {
                throw new InvalidSpecException("--profile takes the upstream, trust, listen and access settings from the "
                        + "saved profile; leave out --upstream*, --listen and --allow-* (or leave out --profile)");
            }
            List<String> alsoTheProfiles = new ArrayList<>();
            if (name != null) alsoTheProfiles.add("--name");
            if (identity != null) alsoTheProfiles.add("--identity");
            if (tailnetPort != null) alsoTheProfiles.add("--port");
            if (tlsProvider != null) alsoTheProfiles.add("--tls-provider");
            if (tls13Only) alsoTheProfiles.add("--tls13-only");
            if (!alsoTheProfiles.isEmpty()) {
                throw new InvalidSpecException("--profile takes the name, identity, port and TLS settings from the saved "
                        + "profile too; leave out " + String.join(", ", alsoTheProfiles) + " (or leave out --profile)");
            }
        }

        /** The checked settings, and what passes through unchanged: the local CA's directory, certificate names, tailscaled's socket. */
        private EngineSpec spec(String name, String host, int port, String serverName, boolean directTls, UpstreamTlsSettings tls,
                                List<InetSocketAddress> listen, Integer tailnetPort, IdentityMode identity, AccessRules rules,
                                Limits limits, InetSocketAddress metrics) {
            return new EngineSpec(name, host, port, serverName, directTls, tls, listen, tailnetPort, identity, rules,
                    limits.maxSessions(), Duration.ofSeconds(limits.handshakeTimeoutSeconds()),
                    Duration.ofSeconds(limits.connectTimeoutSeconds()), limits.warmUpstreams(), limits.busyPollMicros(),
                    limits.offerClientTls(), localCaDir, clientCertificateNames, tailscaleSocket, metrics);
        }

        private void checkIdentityOptions(IdentityMode mode, boolean onTailnet) throws InvalidSpecException {
            if (mode != IdentityMode.TAILSCALE) {
                if (listenHosts.isEmpty()) throw new InvalidSpecException("give --listen HOST:PORT, or --identity tailscale to listen on the tailnet");
                if (!allowUsers.isEmpty() || !allowTags.isEmpty() || !allowCapabilities.isEmpty() || allowThisMachine) {
                    throw new InvalidSpecException("--allow-user, --allow-tag, --allow-capability and --allow-this-machine need --identity tailscale");
                }
                checkTailscaleSocket(mode);
            }
            if (tailnetPort != null && !onTailnet) {
                throw new InvalidSpecException("--port goes with --identity tailscale without --listen; give the port in --listen");
            }
            if (tailnetPort != null && (tailnetPort < 0 || tailnetPort > 65535)) {
                throw new InvalidSpecException("--port " + tailnetPort + " is not a port");
            }
        }

        private void checkTailscaleSocket(IdentityMode mode) throws InvalidSpecException {
            if (mode != IdentityMode.TAILSCALE && tailscaleSocket != null) {
                throw new InvalidSpecException("--tailscale-socket needs --identity tailscale");
            }
        }
    }
}
