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
import dev.verifull.check.UpstreamHealth;
import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.EngineLimits;
import dev.verifull.engine.NettyTransport;
import dev.verifull.engine.pg.ProxyEngine;
import dev.verifull.logging.Log;
import dev.verifull.logging.LogFormat;
import dev.verifull.logging.LogSetup;
import dev.verifull.logging.UncaughtExceptions;
import dev.verifull.manager.AssembledEngine;
import dev.verifull.manager.EngineAssembly;
import dev.verifull.manager.EngineSpec;
import dev.verifull.manager.InvalidSpecException;
import dev.verifull.monitor.EngineMonitor;
import dev.verifull.manager.TrustReloadStatus;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;
import dev.verifull.sessions.SessionAuditor;
import dev.verifull.sessions.SessionLogLine;
import dev.verifull.tailnet.TailscaleServices;
import dev.verifull.tls.TlsConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verifull serve}: one engine, headless. Contract relied on by scripts: exactly one line
 * on stdout starting {@code verifull: listening on} once listening; configuration errors give one
 * line on stderr and exit 2 before anything listens; SIGTERM drains and exits 0.
 *
 * <p>Only options, output and exit codes live here: the options become an {@link EngineSpec}
 * (checked there) and {@link EngineAssembly} builds the engine, as it does for the app.
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

    /** Null when not given: then none, or the profile's binding with --profile. */
    @Option(names = "--identity", paramLabel = "tailscale|local|none",
            description = "Who is connecting: tailscale (ask tailscaled, apply the --allow rules, refuse whom it cannot identify), "
                    + "local (loopback only, recorded as this OS user), none (no check). Default: none.")
    String identity;

    @Option(names = "--port", paramLabel = "PORT",
            description = "With --identity tailscale and no --listen: the port on the Tailscale addresses. Default: "
                    + EngineLimits.DEFAULT_TAILNET_PORT + ".")
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

    @Option(names = "--allow-this-machine",
            description = "Also admit connections from this machine itself to its Tailscale address (recorded as "
                    + "\"this machine\"; Tailscale names every local user as the machine's owner). Default: refused.")
    boolean allowThisMachine;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Run a profile saved by the desktop app (its upstream, trust, binding, access rules and name) "
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

    /** Null when not given: then auto, or the profile's with --profile. */
    @Option(names = "--tls-provider", paramLabel = EngineLimits.TLS_PROVIDERS,
            description = "TLS implementation: auto (openssl where it loads, else jdk), jdk, bc (BouncyCastle JSSE) or openssl (netty-tcnative). Default: auto.")
    String tlsProvider;

    @Option(names = "--audit-log", paramLabel = "FILE", description = "Append a JSON Lines audit record per session start, end and refusal.")
    Path auditLog;

    /** Picocli's words for the log formats. */
    enum LogFormatName { text, json }

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
            description = "Diagnostic log lines on stderr: text (time, level, [engine], message) or json (JSON Lines: "
                    + "time, level, logger, profile, message, exception). Default: ${DEFAULT-VALUE}.")
    LogFormatName logFormat;

    /** Picocli's words for the log levels. */
    enum LogLevelName {
        error(java.util.logging.Level.SEVERE), warn(java.util.logging.Level.WARNING), info(java.util.logging.Level.INFO),
        debug(java.util.logging.Level.FINE);

        final java.util.logging.Level level;

        LogLevelName(java.util.logging.Level level) {
            this.level = level;
        }
    }

    @Option(names = "--log-level", paramLabel = "error|warn|info|debug", defaultValue = "info",
            description = "Least severe diagnostic lines to write (info includes one line per session start, end and refusal). "
                    + "Default: ${DEFAULT-VALUE}.")
    LogLevelName logLevel;

    /** Null when not given (as all the engine's numbers): then the profile's setting with --profile, else the default. */
    @Option(names = "--max-sessions", paramLabel = "N",
            description = "Concurrent session limit. Default: " + EngineLimits.DEFAULT_MAX_SESSIONS + ", or the profile's setting with --profile.")
    Integer maxSessions;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS",
            description = "Time a client has from connecting until its startup message is complete (TLS with Verifull "
                    + "included); a client still in its startup phase then is refused (08P01). Does not cover the upstream. Default: "
                    + EngineLimits.DEFAULT_TIMEOUT_SECONDS + ".")
    Integer handshakeTimeout;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
            description = "Time the upstream connection may take in all: name lookup, TCP connect, SSLRequest and the verified "
                    + "TLS handshake. A client whose startup message is in waits at most this long for the server, then is "
                    + "refused (08001). Default: " + EngineLimits.DEFAULT_TIMEOUT_SECONDS + ".")
    Integer connectTimeout;

    @Option(names = "--warm-upstreams", paramLabel = "N",
            description = "Keep N (0-" + EngineLimits.MAX_WARM_UPSTREAMS + ") verified upstream connections ready per I/O thread "
                    + "(connected and TLS-verified, not logged in; replaced every 25 s), so new clients skip the TCP and TLS "
                    + "round trips. Default: 0, or the profile's setting with --profile.")
    Integer warmUpstreams;

    @Option(names = "--busy-poll-us", paramLabel = "MICROSECONDS",
            description = "Let each I/O thread look for traffic up to this long (0-" + EngineLimits.MAX_BUSY_POLL_MICROS
                    + " microseconds) before it sleeps; the window shrinks by itself where replies come slower. Cuts the latency "
                    + "a proxy adds to every round trip, for processor time while queries flow; idle sessions cost nothing. "
                    + "0 turns it off. Default: " + EngineLimits.DEFAULT_BUSY_POLL_MICROS + ", or the profile's setting with --profile.")
    Integer busyPollMicros;

    /** Picocli's words for a switch. */
    enum OnOff { off, on }

    /** Null when not given: then off, or the profile's "Offer TLS to clients" with --profile. */
    @Option(names = "--client-tls", paramLabel = "off|on",
            description = "Offer TLS to clients: on answers SSLRequest with 'S' and accepts direct TLS; off (the default, as "
                    + "PgBouncer's) answers 'N', so clients that prefer TLS go on in plaintext and SCRAM works with their "
                    + "default channel binding. Default: off, or the profile's setting with --profile.")
    OnOff clientTls;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "10",
            description = "On SIGTERM, how long live sessions may go on before they are closed. Default: ${DEFAULT-VALUE}.")
    int grace;

    @Option(names = "--local-ca-dir", paramLabel = "DIR",
            description = "Directory of the local CA that signs the client-facing certificate (default: the app-data dir's local-ca).")
    Path localCaDir;

    @Option(names = "--client-cert-name", paramLabel = "NAME",
            description = "Extra DNS name for the client-facing certificate (clients using verify-full connect to it). Repeatable.")
    List<String> clientCertNames = new ArrayList<>();

    /** Null when not given: then serve, or the profile's name with --profile. */
    @Option(names = "--name", paramLabel = "NAME", description = "Engine name in logs and audit records. Default: serve.")
    String name;

    @Option(names = "--instance", paramLabel = "NAME",
            description = "This process's name in audit records (field instance), to tell replicas apart. "
                    + "Default: the host name (in Kubernetes, the pod's name).")
    String instance;

    /** The VERIFULL_ variables that set options (filled in by {@link Cli}), for the log. */
    List<String> fromEnvironment = List.of();

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
            description = "Serve Prometheus metrics at /metrics, liveness at /healthz and readiness at /readyz (listening, "
                    + "and the upstream verified within the last " + UpstreamHealth.FRESH_SECONDS + " s) over HTTP on this address only, e.g. "
                    + "127.0.0.1:9187. Default: none, or the profile's metrics port on 127.0.0.1 with --profile.")
    HostPort metricsListen;

    @Option(names = "--check",
            description = "Verify the upstream once, as the app's Test upstream does (no login), print the result and "
                    + "the certificate chain, and exit: 0 verified, 1 not verified, 2 bad options. Listens nowhere.")
    boolean check;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Diagnostics are log lines from the start (building the spec may warn, e.g. of the TLS provider);
        // configuration errors stay the one plain line scripts expect.
        startLogging(err, name != null ? name : profile != null ? profile : "serve");
        EngineSpec engineSpec;
        try {
            engineSpec = engineSpec(null);
        } catch (UsageError e) {
            err.println("verifull: " + e.getMessage());
            return Cli.EXIT_USAGE;
        }
        if (check) return ServeCheck.run(engineSpec, out, err);
        startLogging(err, engineSpec.name()); // the saved profile's name as it is spelt there
        UncaughtExceptions.install();
        Log log = Log.of(ServeCommand.class, engineSpec.name());
        if (!fromEnvironment.isEmpty()) log.info("options from the environment: " + String.join(", ", fromEnvironment));
        log.debug(() -> "settings: upstream " + engineSpec.upstreamHost() + ":" + engineSpec.upstreamPort()
                + (engineSpec.directTls() ? " (direct TLS)" : "") + ", identity " + engineSpec.identity()
                + ", max sessions " + engineSpec.maxSessions() + ", handshake timeout " + engineSpec.handshakeTimeout().toSeconds()
                + " s, connect timeout " + engineSpec.connectTimeout().toSeconds() + " s, warm upstreams " + engineSpec.warmUpstreams()
                + ", busy poll " + engineSpec.busyPollMicros() + " us, client TLS " + (engineSpec.offerClientTls() ? "on" : "off")
                + ", grace " + grace + " s");

        AuditLog audit = null;
        try (EngineAssembly assembly = new EngineAssembly(null, TailscaleServices::discover)) {
            AssembledEngine assembled;
            try {
                assembled = assembly.assemble(engineSpec, log::warn);
            } catch (TlsConfigException e) {
                err.println("verifull: " + e.getMessage());
                return Cli.EXIT_USAGE;
            }
            try (assembled) {
                CompletableFuture<Integer> exit = new CompletableFuture<>();
                ShutdownSignals.onTerminate(() -> exit.complete(0));
                if (auditLog != null) {
                    try {
                        audit = AuditLog.open(auditLog, AuditRotation.defaults(), log::warn); // problems say "audit log: ..." themselves
                    } catch (Exception e) {
                        // file-system exceptions carry only the path as their message: say what kind it was
                        String why = e instanceof java.nio.file.FileSystemException ? e.getClass().getSimpleName() + ": " + e.getMessage()
                                : e.getMessage() != null ? e.getMessage() : e.toString();
                        err.println("verifull: cannot open the audit log " + auditLog + ": " + why);
                        return Cli.EXIT_USAGE;
                    }
                }
                return run(engineSpec, assembled, audit, exit, out, log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cli.EXIT_FAILURE;
        } catch (ExecutionException e) {
            log.error(e.getCause().getMessage());
            return Cli.EXIT_FAILURE;
        } finally {
            if (audit != null) audit.close();
            err.flush();
        }
    }

    private void startLogging(PrintWriter err, String engineName) {
        LogSetup.toStream(err, logFormat == LogFormatName.json ? LogFormat.json(engineName) : LogFormat.text(engineName), logLevel.level);
    }

    /** Listens, says so, and serves until a signal (exit 0) or a port in use on the tailnet (exit 1). */
    private int run(EngineSpec engineSpec, AssembledEngine assembled, AuditLog audit, CompletableFuture<Integer> exit,
                    PrintWriter out, Log log) throws InterruptedException, ExecutionException {
        ProxyEngine engine = assembled.engine();
        engine.addListener(event -> log.info(SessionLogLine.message(event)));
        if (audit != null) engine.addListener(new SessionAuditor(audit, instance != null ? instance : AuditInstance.defaultName()));
        // Changed CA, client certificate or key files: said in the log, as a warning when they are not taken.
        engine.config().upstreamTls().addReloadListener(r -> {
            if (r.ok()) log.info(TrustReloadStatus.describe(r));
            else log.warn(TrustReloadStatus.describe(r));
        });
        if (ShutdownSignals.onReload(() -> assembled.reloadTrust("SIGHUP"))) {
            log.warn("SIGHUP is ignored by this process (started under nohup?), so kill -HUP will not reload the upstream"
                    + " trust; changed CA, certificate and key files are still loaded before the next new upstream connection.");
        }
        try (EngineMonitor health = new EngineMonitor(engineSpec, engine, line -> monitorLine(log, line))) {
            if (engineSpec.metricsListen() != null) {
                try {
                    health.listen(engineSpec.metricsListen());
                } catch (java.io.IOException e) {
                    log.error(e.getMessage());
                    return Cli.EXIT_USAGE;
                }
            }
            return run(engineSpec, assembled, exit, out, log, health);
        }
    }

    /** The monitor's lines: its warnings and an unverified upstream as warnings, the rest as news. */
    private static void monitorLine(Log log, String line) {
        if (line.startsWith("warning: ")) log.warn(line.substring("warning: ".length()));
        else if (line.contains("NOT verified")) log.warn(line);
        else log.info(line);
    }

    private int run(EngineSpec engineSpec, AssembledEngine assembled, CompletableFuture<Integer> exit, PrintWriter out,
                    Log log, EngineMonitor health) throws InterruptedException, ExecutionException {
        ProxyEngine engine = assembled.engine();
        List<InetSocketAddress> bound;
        try {
            bound = assembled.start().get();
        } catch (ExecutionException e) {
            log.error(e.getCause().getMessage());
            return Cli.EXIT_FAILURE;
        }
        health.started();
        NettyTransport transport = assembled.transport();
        int poll = engineSpec.busyPollMicros();
        log.info("I/O " + transport.description() + ", " + transport.eventLoops()
                + (transport.eventLoops() == 1 ? " event loop" : " event loops")
                + (poll > 0 ? ", polling " + poll + " microseconds before sleeping" : ""));
        if (engineSpec.onTailnet()) {
            assembled.followTailnet(new TailnetServeEvents(out, log, exit,
                    (addresses, certificate) -> readyLine(engineSpec, assembled, addresses, certificate)));
        } else {
            out.println(readyLine(engineSpec, assembled, bound, assembled.certificate()));
            out.flush();
        }

        int code = exit.get();
        if (code == 0) {
            log.info("stopping: no new connections; waiting up to " + grace + " s for "
                    + engine.sessions().size() + " session(s)");
        }
        assembled.stop(Duration.ofSeconds(grace)).get();
        return code;
    }

    /** The one stdout line scripts wait for. */
    private static String readyLine(EngineSpec engineSpec, AssembledEngine assembled, List<InetSocketAddress> bound,
                                    String certificate) {
        EngineConfig c = assembled.engine().config();
        return "verifull: listening on " + join(bound) + ", upstream " + c.upstreamEndpoint()
                + " verified against " + c.upstreamTls().trustDescription() + " (name " + c.verifiedName()
                + "); " + (c.offersClientTls() ? "client TLS certificate from " + certificate
                        : "no TLS offered to clients (--client-tls on offers it)")
                + "; identity " + identityNote(engineSpec)
                + warmNote(c.warmUpstreams());
    }

    private static String identityNote(EngineSpec spec) {
        return switch (spec.identity()) {
            case TAILSCALE -> "tailscale, allowed: " + spec.accessRules().describe();
            case LOCAL -> "local user " + System.getProperty("user.name", "?");
            case NONE -> "not checked";
        };
    }

    private static String warmNote(int perLoop) {
        if (perLoop == 0) return "";
        return "; " + perLoop + " verified upstream connection" + (perLoop == 1 ? "" : "s") + " kept ready per I/O thread";
    }

    /**
     * The engine the options describe, or the saved profile they name with the options that may go
     * with it.
     *
     * @param profiles the profiles.json to read for --profile; null for the app-data dir's
     */
    EngineSpec engineSpec(Path profiles) throws UsageError {
        if (grace < 0) throw new UsageError("--grace must not be negative");
        EngineSpec.Builder b = EngineSpec.builder()
                .name(name).identity(identity).tailnetPort(port).tailscaleSocket(tailscaleSocket)
                .allowUsers(allowUsers).allowTags(allowTags).allowCapabilities(allowCapabilities).allowThisMachine(allowThisMachine)
                .serverName(serverName).directTls(directTls).caFiles(upstreamCa).systemTrust(systemTrust)
                .clientCertificate(clientCert, clientKey).tls13Only(tls13Only).tlsProvider(tlsProvider)
                .maxSessions(maxSessions).handshakeTimeoutSeconds(handshakeTimeout).connectTimeoutSeconds(connectTimeout)
                .warmUpstreams(warmUpstreams).busyPollMicros(busyPollMicros)
                .offerClientTls(clientTls == null ? null : clientTls == OnOff.on)
                .localCaDir(localCaDir).clientCertificateNames(clientCertNames);
        if (upstream != null) b.upstream(upstream.host(), upstream.port());
        if (metricsListen != null) b.metricsListen(metricsListen.host(), metricsListen.port());
        for (HostPort hp : listen) b.listen(hp.host(), hp.port());
        // --check listens nowhere, so it needs no --listen; the spec wants an address all the same
        if (check && listen.isEmpty() && profile == null && !"tailscale".equals(identity)) b.listen("127.0.0.1", 0);
        try {
            if (profile == null) return b.build();
            b.checkGoesWithAProfile(); // before reading profiles.json: the options are wrong whatever it holds
            return b.buildOver(savedProfile(profile, profiles != null ? profiles : AppDataDir.profiles(AppDataDir.resolve())));
        } catch (InvalidSpecException e) {
            throw new UsageError(e.getMessage());
        }
    }

    /** {@code --profile NAME}: a profile the desktop app saved, so a server runs exactly what was set up (and tested) there. */
    private static Profile savedProfile(String name, Path file) throws UsageError {
        ProfileStore.LoadResult loaded = ProfileStore.open(file).load();
        if (loaded.problem() != null) throw new UsageError(loaded.problem());
        return loaded.profiles().stream().filter(x -> x.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new UsageError("no profile named '" + name + "' in " + file
                        + (loaded.profiles().isEmpty() ? " (there are no profiles)" : " (profiles: "
                        + String.join(", ", loaded.profiles().stream().map(Profile::name).toList()) + ")")));
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
