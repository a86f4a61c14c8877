package dev.verifull.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.verifull.audit.AuditEvent;
import dev.verifull.audit.AuditLog;
import dev.verifull.audit.AuditReader;
import dev.verifull.audit.AuditRotation;
import dev.verifull.engine.ClientAdmission;
import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.EngineLimits;
import dev.verifull.engine.NettyTransport;
import dev.verifull.engine.pg.ProxyEngine;
import dev.verifull.engine.SessionEvent;
import dev.verifull.sessions.SessionAuditor;
import dev.verifull.tls.ClientTls;
import dev.verifull.tls.LocalCa;
import dev.verifull.tls.TlsProvider;
import dev.verifull.tls.UpstreamTls;
import dev.verifull.tls.UpstreamTlsSettings;
import io.netty.handler.ssl.SslContext;

/**
 * Starts a real {@link ProxyEngine} on 127.0.0.1 with a temporary local CA and audit log, and
 * collects its session events for assertions.
 */
public final class EngineHarness implements AutoCloseable {
    private static NettyTransport transport;

    public final ProxyEngine engine;
    public final LocalCa localCa;
    public final Path auditFile;
    private final AuditLog audit;
    private final LinkedBlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
    private final List<SessionEvent> seen = new ArrayList<>();

    public static synchronized NettyTransport transport() {
        if (transport == null) transport = NettyTransport.create(2);
        return transport;
    }

    public static Builder builder(Path dir, int upstreamPort) {
        return new Builder(dir, upstreamPort);
    }

    public static final class Builder {
        private final Path dir;
        private final int upstreamPort;
        private String upstreamHost = "127.0.0.1";
        private List<Path> caFiles = new ArrayList<>();
        private String serverName;
        private boolean directTls;
        private boolean tls13Only;
        private Path clientCert;
        private Path clientKey;
        private TlsProvider provider = TlsProvider.JDK;
        private int maxSessions = EngineLimits.DEFAULT_MAX_SESSIONS;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private ClientAdmission admission;
        private String listenHost = "127.0.0.1";
        private int warmUpstreams;
        private boolean listenNowhere;
        private SslContext clientTls;
        private boolean noClientTls;

        private Builder(Path dir, int upstreamPort) {
            this.dir = dir;
            this.upstreamPort = upstreamPort;
        }

        public Builder upstreamHost(String h) { this.upstreamHost = h; return this; }
        public Builder ca(Path... files) { this.caFiles = List.of(files); return this; }
        public Builder serverName(String n) { this.serverName = n; return this; }
        public Builder directTls(boolean d) { this.directTls = d; return this; }
        public Builder tls13Only(boolean t) { this.tls13Only = t; return this; }
        public Builder clientCertificate(Path cert, Path key) { this.clientCert = cert; this.clientKey = key; return this; }
        public Builder provider(TlsProvider p) { this.provider = p; return this; }
        public Builder maxSessions(int n) { this.maxSessions = n; return this; }
        public Builder handshakeTimeout(Duration d) { this.handshakeTimeout = d; return this; }
        public Builder connectTimeout(Duration d) { this.connectTimeout = d; return this; }
        public Builder admission(ClientAdmission a) { this.admission = a; return this; }
        public Builder listenHost(String h) { this.listenHost = h; return this; }
        public Builder warmUpstreams(int perLoop) { this.warmUpstreams = perLoop; return this; }
        /** Starts the engine with no listen address: it waits until rebound (e.g. by a TailnetBinding). */
        public Builder listenNowhere() { this.listenNowhere = true; return this; }
        /** The client-facing TLS context instead of a local-CA leaf for the listen host. */
        public Builder clientTls(SslContext c) { this.clientTls = c; return this; }
        /** Offers clients no TLS: SSLRequest gets 'N', direct TLS is refused (a profile's default). */
        public Builder noClientTls() { this.noClientTls = true; return this; }

        public EngineHarness start() throws Exception {
            return new EngineHarness(this);
        }
    }

    private EngineHarness(Builder b) throws Exception {
        Files.createDirectories(b.dir);
        localCa = LocalCa.loadOrCreate(b.dir.resolve("local-ca"));
        UpstreamTls upstreamTls = UpstreamTls.create(new UpstreamTlsSettings(b.caFiles, b.caFiles.isEmpty(),
                b.clientCert, b.clientKey, b.tls13Only, b.provider));
        var leaf = localCa.issueServerCertificate(List.of("localhost"),
                List.of(java.net.InetAddress.getByName(b.listenHost)));
        EngineConfig config = new EngineConfig("test",
                b.listenNowhere ? List.of() : List.of(new InetSocketAddress(b.listenHost, 0)),
                b.upstreamHost, b.upstreamPort, b.serverName, b.directTls, upstreamTls,
                b.noClientTls ? null : b.clientTls != null ? b.clientTls : ClientTls.serverContext(leaf, b.provider),
                b.maxSessions, b.handshakeTimeout,
                b.connectTimeout, b.warmUpstreams, b.admission);
        auditFile = b.dir.resolve("audit.jsonl");
        audit = AuditLog.open(auditFile, AuditRotation.defaults(), problem -> { });
        engine = new ProxyEngine(config, transport());
        engine.addListener(events::add);
        engine.addListener(new SessionAuditor(audit));
        engine.start().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return engine.boundAddresses().get(0).getPort();
    }

    public String host() {
        return engine.boundAddresses().get(0).getAddress().getHostAddress();
    }

    public Path localCaFile() {
        return localCa.certificateFile();
    }

    /** Waits for the next event matching the predicate (earlier non-matching ones are kept). */
    public SessionEvent await(Predicate<SessionEvent> match) throws InterruptedException {
        synchronized (seen) {
            for (SessionEvent e : seen) if (match.test(e)) { seen.remove(e); return e; }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            SessionEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e == null) continue;
            if (match.test(e)) return e;
            synchronized (seen) { seen.add(e); }
        }
        throw new AssertionError("no matching session event within 20 s; seen: " + seen);
    }

    public SessionEvent awaitType(SessionEvent.Type type) throws InterruptedException {
        return await(e -> e.type() == type);
    }

    /** Audit records written so far (flushes the writer first). */
    public List<AuditEvent> auditRecords() throws IOException {
        audit.flush();
        return AuditReader.read(auditFile, AuditReader.Order.OLDEST_FIRST).events();
    }

    public void forEachAudit(Consumer<AuditEvent> c) throws IOException {
        auditRecords().forEach(c);
    }

    @Override
    public void close() throws Exception {
        engine.stop(Duration.ZERO).get(20, TimeUnit.SECONDS);
        audit.close();
    }
}
