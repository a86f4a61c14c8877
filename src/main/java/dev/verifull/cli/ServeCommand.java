package dev.verifull.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.verifull.audit.AuditInstance;
import dev.verifull.audit.AuditLog;
import dev.verifull.audit.AuditRotation;
import dev.verifull.engine.ClientAdmission;
import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.NettyTransport;
import dev.verifull.engine.ProxyEngine;
import dev.verifull.manager.LocalOnlyAdmission;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator;
import dev.verifull.sessions.SessionAuditor;
import dev.verifull.sessions.SessionLogLine;
import dev.verifull.tailnet.AccessRules;
import dev.verifull.tailnet.ClientCertificateNames;
import dev.verifull.tailnet.TailnetBinding;
import dev.verifull.tailnet.TailnetCertificates;
import dev.verifull.tailnet.TailscaleAdmission;
import dev.verifull.tailnet.TailscaleServices;
import dev.verifull.tailscale.LocalApiSettings;
import dev.verifull.tls.ClientTls;
import dev.verifull.tls.LocalCa;
import dev.verifull.tls.TlsConfigException;
import dev.verifull.tls.TlsProvider;
import dev.verifull.tls.UpstreamTls;
import dev.verifull.tls.UpstreamTlsSettings;
import io.netty.handler.ssl.SslContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verifull serve}: one engine, headless. Contract relied on by scripts: exactly one line
 * on stdout starting {@code verifull: listening on} once listening; configuration errors give one
 * line on stderr and exit 2 before anything listens; SIGTERM drains and exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run one proxy engine without a window: clients connect with any TLS settings, "
                + "Verifull connects upstream with verified TLS only.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
            description = "Address to listen on, e.g. 127.0.0.1:6432. Repeat for several addresses. "
                    + "Required unless --identity tailscale, which by default listens on this machine's Tailscale addresses.")
    List<HostPort> listen = new ArrayList<>();

    @Option(names = "--identity", paramLabel = "tailscale|local|none", defaultValue = "none",
            description = "Who is connecting: tailscale (ask tailscaled, apply the --allow rules, refuse whom it cannot identify), "
                    + "local (loopback only, recorded as this OS user), none (no check). Default: ${DEFAULT-VALUE}.")
    String identity;

    @Option(names = "--port", paramLabel = "PORT",
            description = "With --identity tailscale and no --listen: the port on the Tailscale addresses. Default: 5432.")
    Integer port;

    @Option(names = "--tailscale-socket", paramLabel = "PATH",
            description = "tailscaled's LocalAPI socket (default: found the way the tailscale CLI finds it).")
    Path tailscaleSocket;

    @Option(names = "--allow-user", paramLabel = "LOGIN",
            description = "Allow this Tailscale login name, or *@domain for a whole domain. Repeatable.")
    List<String> allowUsers = new ArrayList<>();

    @Option(names = "--allow-tag", paramLabel = "TAG", description = "Allow tailnet devices with this ACL tag (tag:name). Repeatable.")
    List<String> allowTags = new ArrayList<>();

    @Option(names = "--allow-capability", paramLabel = "NAME",
            description = "Allow peers granted this app capability in the tailnet policy file with this engine's --name "
                    + "among its \"profiles\" values (e.g. verifull.dev/cap/postgres). Repeatable. "
                    + "Without any --allow option every identified tailnet peer may connect.")
    List<String> allowCapabilities = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Run a profile saved by the desktop app (its upstream, trust, binding and access rules) "
                    + "instead of giving them as options.")
    String profile;

    @Option(names = "--upstream", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
            description = "The PostgreSQL server to connect to. Required unless --profile.")
    HostPort upstream;

    @Option(names = "--upstream-ca", paramLabel = "FILE",
            description = "PEM file with the CA certificate(s) the upstream's certificate must chain to. Repeatable.")
    List<Path> upstreamCa = new ArrayList<>();

    @Option(names = "--upstream-system-trust", description = "Verify the upstream against the system/JDK trust store instead of CA files.")
    boolean systemTrust;

    @Option(names = "--upstream-server-name", paramLabel = "NAME",
            description = "Name the upstream certificate must match (default: the upstream host).")
    String serverName;

    @Option(names = "--upstream-direct-tls", description = "Use PostgreSQL 17+ direct TLS (ALPN postgresql) towards the upstream.")
    boolean directTls;

    @Option(names = "--tls13-only", description = "Require TLS 1.3 towards the upstream (default: TLS 1.2 or newer).")
    boolean tls13Only;

    @Option(names = "--upstream-client-cert", paramLabel = "FILE", description = "PEM client certificate (chain) for upstream mTLS.")
    Path clientCert;

    @Option(names = "--upstream-client-key", paramLabel = "FILE", description = "PEM private key for --upstream-client-cert (PKCS#8, PKCS#1 or SEC1).")
    Path clientKey;

    @Option(names = "--tls-provider", paramLabel = "auto|jdk|bc|openssl", defaultValue = "auto",
            description = "TLS implementation: auto (openssl where it loads, else jdk), jdk, bc (BouncyCastle JSSE) or openssl (netty-tcnative). Default: ${DEFAULT-VALUE}.")
    String tlsProvider;

    @Option(names = "--audit-log", paramLabel = "FILE", description = "Append a JSON Lines audit record per session start, end and refusal.")
    Path auditLog;

    static final int DEFAULT_MAX_SESSIONS = 200;

    /** Null when not given: then the profile's setting with --profile, else 200. */
    @Option(names = "--max-sessions", paramLabel = "N",
            description = "Concurrent session limit. Default: " + DEFAULT_MAX_SESSIONS + ", or the profile's setting with --profile.")
    Integer maxSessions;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time a client has to finish TLS and send its startup message. Default: ${DEFAULT-VALUE}.")
    int handshakeTimeout;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time allowed to connect to the upstream. Default: ${DEFAULT-VALUE}.")
    int connectTimeout;

    /** Null when not given: then the profile's setting with --profile, else 0. */
    @Option(names = "--warm-upstreams", paramLabel = "N",
            description = "Keep N (0-" + ProfileValidator.MAX_WARM_UPSTREAMS + ") verified upstream connections ready per I/O thread "
                    + "(connected and TLS-verified, not logged in; replaced every 25 s), so new clients skip the TCP and TLS "
                    + "round trips. Default: 0, or the profile's setting with --profile.")
    Integer warmUpstreams;

    /** Null when not given: then the profile's setting with --profile, else 0. */
    @Option(names = "--busy-poll-us", paramLabel = "MICROSECONDS",
            description = "Let each I/O thread poll for traffic this long (0-" + ProfileValidator.MAX_BUSY_POLL_MICROS
                    + " microseconds) before it sleeps. Cuts the latency a proxy adds to every round trip, for a processor kept busy "
                    + "while queries flow; an idle engine still costs nothing. Default: 0 (off), or the profile's setting "
                    + "with --profile (\"Low latency\" in the app is " + Profile.LOW_LATENCY_POLL_MICROS + ").")
    Integer busyPollMicros;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "10",
            description = "On SIGTERM, how long live sessions may go on before they are closed. Default: ${DEFAULT-VALUE}.")
    int grace;

    @Option(names = "--local-ca-dir", paramLabel = "DIR",
            description = "Directory of the local CA that signs the client-facing certificate (default: the app-data dir's local-ca).")
    Path localCaDir;

    @Option(names = "--client-cert-name", paramLabel = "NAME",
            description = "Extra DNS name for the client-facing certificate (clients using verify-full connect to it). Repeatable.")
    List<String> clientCertNames = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "serve", description = "Engine name in logs and audit records.")
    String name;

    @Option(names = "--instance", paramLabel = "NAME",
            description = "This process's name in audit records (field instance), to tell replicas apart. "
                    + "Default: the host name (in Kubernetes, the pod's name).")
    String instance;

    static final int DEFAULT_TAILNET_PORT = 5432;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Setup setup;
        try {
            setup = prepare(err);
        } catch (UsageError e) {
            err.println("verifull: " + e.getMessage());
            return Cli.EXIT_USAGE;
        }

        CompletableFuture<Integer> exit = new CompletableFuture<>();
        ShutdownSignals.onTerminate(() -> exit.complete(0));

        AuditLog audit = null;
        try (NettyTransport transport = NettyTransport.create(0, busyPollMicros); TailscaleServices tailscale = setup.tailscale) {
            if (auditLog != null) {
                try {
                    audit = AuditLog.open(auditLog, AuditRotation.defaults(), problem -> err.println("verifull: audit log: " + problem));
                } catch (Exception e) {
                    err.println("verifull: cannot open the audit log " + auditLog + ": " + e.getMessage());
                    return Cli.EXIT_USAGE;
                }
            }
            ProxyEngine engine = new ProxyEngine(setup.config, transport);
            engine.addListener(event -> err.println(SessionLogLine.format(event)));
            if (audit != null) {
                engine.addListener(new SessionAuditor(audit, instance != null ? instance : AuditInstance.defaultName()));
            }
            TailnetBinding binding = null;
            try {
                List<InetSocketAddress> bound = engine.start().get();
                err.println("verifull: I/O " + transport.description() + ", " + transport.eventLoops()
                        + (transport.eventLoops() == 1 ? " event loop" : " event loops")
                        + (busyPollMicros > 0 ? ", polling " + busyPollMicros + " microseconds before sleeping" : ""));
                if (setup.tailnet != null) {
                    binding = new TailnetBinding(engine, setup.tailnetPort, tailscale.watcher(), setup.tailnet,
                            new TailnetServeEvents(out, err, exit, (addresses, certificate) -> readyLine(setup, addresses, certificate))).start();
                } else {
                    out.println(readyLine(setup, bound, setup.certificate));
                    out.flush();
                }
            } catch (ExecutionException e) {
                err.println("verifull: " + e.getCause().getMessage());
                return Cli.EXIT_FAILURE;
            }

            int code = exit.get();
            if (binding != null) binding.close();
            if (code == 0) {
                err.println("verifull: stopping: no new connections; waiting up to " + grace + " s for "
                        + engine.sessions().size() + " session(s)");
            }
            engine.stop(Duration.ofSeconds(grace)).get();
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cli.EXIT_FAILURE;
        } catch (ExecutionException e) {
            err.println("verifull: " + e.getCause().getMessage());
            return Cli.EXIT_FAILURE;
        } finally {
            if (audit != null) audit.close();
            err.flush();
        }
    }

    /** The one stdout line scripts wait for. */
    private static String readyLine(Setup setup, List<InetSocketAddress> bound, String certificate) {
        EngineConfig c = setup.config;
        return "verifull: listening on " + join(bound) + ", upstream " + c.upstreamEndpoint()
                + " verified against " + c.upstreamTls().trustDescription() + " (name " + c.verifiedName()
                + "); client TLS certificate from " + certificate + "; identity " + setup.identityNote
                + warmNote(c.warmUpstreams());
    }

    private static String warmNote(int perLoop) {
        if (perLoop == 0) return "";
        return "; " + perLoop + " verified upstream connection" + (perLoop == 1 ? "" : "s") + " kept ready per I/O thread";
    }

    /**
     * @param certificate what clients are shown, when fixed (no tailnet binding)
     * @param tailscale   the link to tailscaled; null without Tailscale identity
     * @param tailnet     the tailnet certificates when the engine follows the Tailscale addresses; else null
     */
    private record Setup(EngineConfig config, String certificate, TailscaleServices tailscale,
                         TailnetCertificates tailnet, int tailnetPort, String identityNote) {}

    private Setup prepare(PrintWriter err) throws UsageError {
        if (profile != null) SavedProfileOptions.apply(this, profile);
        if (upstream == null) throw new UsageError("missing required option '--upstream=HOST:PORT' (or --profile NAME)");
        IdentityMode mode = IdentityMode.parse(identity);
        if (upstreamCa.isEmpty() == !systemTrust) {
            throw new UsageError("give either --upstream-ca FILE (repeatable) or --upstream-system-trust");
        }
        if ((clientCert == null) != (clientKey == null)) {
            throw new UsageError("--upstream-client-cert and --upstream-client-key go together");
        }
        if (maxSessions == null) maxSessions = DEFAULT_MAX_SESSIONS;
        if (maxSessions < 1) throw new UsageError("--max-sessions must be at least 1");
        if (handshakeTimeout < 1) throw new UsageError("--handshake-timeout must be at least 1 second");
        if (connectTimeout < 1) throw new UsageError("--connect-timeout must be at least 1 second");
        int warm = warmUpstreams != null ? warmUpstreams : 0;
        if (ProfileValidator.warmUpstreams(warm) != null) {
            throw new UsageError("--warm-upstreams must be 0-" + ProfileValidator.MAX_WARM_UPSTREAMS
                    + " (each one holds a server connection slot, per I/O thread)");
        }
        if (busyPollMicros == null) busyPollMicros = 0;
        if (ProfileValidator.busyPoll(busyPollMicros) != null) {
            throw new UsageError("--busy-poll-us must be 0-" + ProfileValidator.MAX_BUSY_POLL_MICROS);
        }
        if (grace < 0) throw new UsageError("--grace must not be negative");
        if (upstream.port() == 0) throw new UsageError("--upstream needs a port other than 0");
        boolean onTailnet = mode == IdentityMode.TAILSCALE && listen.isEmpty();
        checkIdentityOptions(mode, onTailnet);
        AccessRules rules;
        try {
            rules = new AccessRules(allowUsers, allowTags, allowCapabilities);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        TlsProvider provider;
        try {
            provider = TlsProvider.parse(tlsProvider);
        } catch (IllegalArgumentException e) {
            throw new UsageError("unknown --tls-provider '" + tlsProvider + "' (use auto, jdk, bc or openssl)");
        }
        if (!provider.isAvailable()) {
            throw new UsageError("TLS provider " + tlsProvider + " is not available here: " + provider.unavailableReason());
        }
        try {
            UpstreamTls upstreamTls = UpstreamTls.create(new UpstreamTlsSettings(
                    List.copyOf(upstreamCa), systemTrust, clientCert, clientKey, tls13Only, provider));
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (HostPort hp : listen) addresses.add(new InetSocketAddress(hp.host(), hp.port()));
            for (InetSocketAddress a : addresses) {
                if (a.isUnresolved()) throw new UsageError("cannot resolve the listen address " + a.getHostString());
                if (mode == IdentityMode.LOCAL && !a.getAddress().isLoopbackAddress()) {
                    throw new UsageError("--identity local listens on loopback only, not on " + a.getHostString());
                }
            }
            LocalCa ca = LocalCa.loadOrCreate(localCaDir != null ? localCaDir : AppDataDir.localCa(AppDataDir.resolve()));
            SslContext clientTls;
            TailnetCertificates tailnet = null;
            if (onTailnet) {
                tailnet = new TailnetCertificates(ca, domain -> tailscaleServices().certificates(domain), provider,
                        clientCertNames, note -> err.println("verifull: " + note));
                clientTls = tailnet.context();
            } else {
                ClientCertificateNames names = ClientCertificateNames.forListen(addresses, clientCertNames);
                clientTls = ClientTls.serverContext(ca.issueServerCertificate(names.dnsNames(), names.addresses()), provider);
            }
            // Last: nothing below can fail, so the client's threads need no clean-up on a usage error.
            TailscaleServices tailscale = mode == IdentityMode.TAILSCALE ? tailscaleServices() : null;
            ClientAdmission admission = switch (mode) {
                case TAILSCALE -> new TailscaleAdmission(tailscale.whois(), rules, name);
                case LOCAL -> new LocalOnlyAdmission();
                case NONE -> ClientAdmission.ANYONE;
            };
            String identityNote = switch (mode) {
                case TAILSCALE -> "tailscale, allowed: " + rules.describe();
                case LOCAL -> "local user " + System.getProperty("user.name", "?");
                case NONE -> "not checked";
            };
            EngineConfig config = new EngineConfig(name, addresses, upstream.host(), upstream.port(), serverName, directTls,
                    upstreamTls, clientTls, maxSessions, Duration.ofSeconds(handshakeTimeout),
                    Duration.ofSeconds(connectTimeout), warm, admission);
            return new Setup(config, "the local CA " + ca.certificateFile(), tailscale, tailnet,
                    port != null ? port : DEFAULT_TAILNET_PORT, identityNote);
        } catch (TlsConfigException e) {
            throw new UsageError(e.getMessage());
        }
    }

    private TailscaleServices tailscaleServices;

    // One link to tailscaled for the whole command, made on first use.
    private synchronized TailscaleServices tailscaleServices() {
        if (tailscaleServices == null) {
            tailscaleServices = TailscaleServices.discover(LocalApiSettings.defaults().withSocket(tailscaleSocket));
        }
        return tailscaleServices;
    }

    private void checkIdentityOptions(IdentityMode mode, boolean onTailnet) throws UsageError {
        if (mode != IdentityMode.TAILSCALE) {
            if (listen.isEmpty()) throw new UsageError("give --listen HOST:PORT, or --identity tailscale to listen on the tailnet");
            if (!allowUsers.isEmpty() || !allowTags.isEmpty() || !allowCapabilities.isEmpty()) {
                throw new UsageError("--allow-user, --allow-tag and --allow-capability need --identity tailscale");
            }
            if (tailscaleSocket != null) throw new UsageError("--tailscale-socket needs --identity tailscale");
        }
        if (port != null && !onTailnet) throw new UsageError("--port goes with --identity tailscale without --listen; give the port in --listen");
        if (port != null && (port < 0 || port > 65535)) throw new UsageError("--port " + port + " is not a port");
    }

    static String join(List<InetSocketAddress> addresses) {
        List<String> parts = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            String host = a.getAddress().getHostAddress();
            parts.add((host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
        }
        return String.join(", ", parts);
    }

    /** A configuration problem found before listening. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message);
        }
    }
}
