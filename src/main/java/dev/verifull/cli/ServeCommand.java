package dev.verifull.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

import dev.verifull.audit.AuditLog;
import dev.verifull.audit.AuditRotation;
import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.NettyTransport;
import dev.verifull.engine.ProxyEngine;
import dev.verifull.manager.ClientCertificateNames;
import dev.verifull.manager.SessionAuditor;
import dev.verifull.manager.SessionLogLine;
import dev.verifull.profile.AppDataDir;
import dev.verifull.tls.ClientTls;
import dev.verifull.tls.LocalCa;
import dev.verifull.tls.TlsConfigException;
import dev.verifull.tls.TlsProvider;
import dev.verifull.tls.UpstreamTls;
import dev.verifull.tls.UpstreamTlsSettings;
import io.netty.handler.ssl.SslContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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

    @Option(names = "--listen", paramLabel = "HOST:PORT", required = true, converter = HostPort.Converter.class,
            description = "Address to listen on, e.g. 127.0.0.1:6432. Repeat for several addresses.")
    List<HostPort> listen;

    @Option(names = "--upstream", paramLabel = "HOST:PORT", required = true, converter = HostPort.Converter.class,
            description = "The PostgreSQL server to connect to.")
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

    @Option(names = "--tls-provider", paramLabel = "jdk|bc|openssl", defaultValue = "jdk",
            description = "TLS implementation: jdk, bc (BouncyCastle JSSE) or openssl (netty-tcnative). Default: ${DEFAULT-VALUE}.")
    String tlsProvider;

    @Option(names = "--audit-log", paramLabel = "FILE", description = "Append a JSON Lines audit record per session start, end and refusal.")
    Path auditLog;

    @Option(names = "--max-sessions", paramLabel = "N", defaultValue = "200", description = "Concurrent session limit. Default: ${DEFAULT-VALUE}.")
    int maxSessions;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time a client has to finish TLS and send its startup message. Default: ${DEFAULT-VALUE}.")
    int handshakeTimeout;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time allowed to connect to the upstream. Default: ${DEFAULT-VALUE}.")
    int connectTimeout;

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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Setup setup;
        try {
            setup = prepare();
        } catch (UsageError e) {
            err.println("verifull: " + e.getMessage());
            return Cli.EXIT_USAGE;
        }

        CountDownLatch stopSignal = new CountDownLatch(1);
        ShutdownSignals.onTerminate(stopSignal::countDown);

        AuditLog audit = null;
        try (NettyTransport transport = NettyTransport.create(0)) {
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
            if (audit != null) engine.addListener(new SessionAuditor(audit));
            List<InetSocketAddress> bound;
            try {
                bound = engine.start().get();
            } catch (ExecutionException e) {
                err.println("verifull: " + e.getCause().getMessage());
                return Cli.EXIT_FAILURE;
            }
            out.println("verifull: listening on " + join(bound) + ", upstream " + setup.config.upstreamEndpoint()
                    + " verified against " + setup.config.upstreamTls().trustDescription()
                    + " (name " + setup.config.verifiedName() + "); client TLS certificate from " + setup.localCaFile);
            out.flush();

            stopSignal.await();
            err.println("verifull: stopping: no new connections; waiting up to " + grace + " s for "
                    + engine.sessions().size() + " session(s)");
            engine.stop(Duration.ofSeconds(grace)).get();
            return 0;
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

    private record Setup(EngineConfig config, Path localCaFile) {}

    private Setup prepare() throws UsageError {
        if (upstreamCa.isEmpty() == !systemTrust) {
            throw new UsageError("give either --upstream-ca FILE (repeatable) or --upstream-system-trust");
        }
        if ((clientCert == null) != (clientKey == null)) {
            throw new UsageError("--upstream-client-cert and --upstream-client-key go together");
        }
        if (maxSessions < 1) throw new UsageError("--max-sessions must be at least 1");
        if (handshakeTimeout < 1) throw new UsageError("--handshake-timeout must be at least 1 second");
        if (connectTimeout < 1) throw new UsageError("--connect-timeout must be at least 1 second");
        if (grace < 0) throw new UsageError("--grace must not be negative");
        if (upstream.port() == 0) throw new UsageError("--upstream needs a port other than 0");
        TlsProvider provider;
        try {
            provider = TlsProvider.parse(tlsProvider);
        } catch (IllegalArgumentException e) {
            throw new UsageError("unknown --tls-provider '" + tlsProvider + "' (use jdk, bc or openssl)");
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
            }
            LocalCa ca = LocalCa.loadOrCreate(localCaDir != null ? localCaDir : AppDataDir.localCa(AppDataDir.resolve()));
            ClientCertificateNames names = ClientCertificateNames.forListen(addresses, clientCertNames);
            SslContext clientTls = ClientTls.serverContext(ca.issueServerCertificate(names.dnsNames(), names.addresses()), provider);
            EngineConfig config = new EngineConfig(name, addresses, upstream.host(), upstream.port(), serverName, directTls,
                    upstreamTls, clientTls, maxSessions, Duration.ofSeconds(handshakeTimeout),
                    Duration.ofSeconds(connectTimeout), null);
            return new Setup(config, ca.certificateFile());
        } catch (TlsConfigException e) {
            throw new UsageError(e.getMessage());
        }
    }

    private static String join(List<InetSocketAddress> addresses) {
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
