package dev.verifull.tls;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

/**
 * Verified TLS towards one upstream server: trust anchors, optional client certificate and two
 * Netty client contexts (SSLRequest-negotiated and PostgreSQL 17+ direct TLS with ALPN
 * {@code postgresql}). Safe to share between event loops.
 *
 * <p>Trust that changes under a running engine: before each new connection the CA, client
 * certificate and key files are compared with what was loaded (a few {@code stat} calls, see
 * {@link TrustFiles}); changed files are loaded again and used from that connection on, while
 * connections already made keep the TLS they have. Files that no longer load leave the last good
 * trust in use (never something weaker) and are reported to the reload listeners, loudly; they
 * are tried again when they change again or on {@link #reload}.
 */
public final class UpstreamTls {
    /** The ALPN protocol name PostgreSQL requires for direct TLS. */
    public static final String ALPN_POSTGRESQL = "postgresql";

    /** One complete, verified-loadable set of trust and contexts; replaced whole. */
    private record Loaded(UpstreamTlsSettings settings, DiagnosingTrustManager trustManager, HandshakeDiagnosis handshakes,
                          SslContext negotiatedContext, SslContext directContext, TrustFiles files) {}

    private final Consumer<X509Certificate[]> chainSeen;
    private final List<Consumer<TrustReload>> reloadListeners = new CopyOnWriteArrayList<>();
    private volatile Loaded loaded;
    /** Counts the loads that succeeded: a connection made under an older one was verified with other trust. */
    private volatile long generation;
    /** The files as they were when loading them last failed: not tried again until they change. Guarded by this. */
    private TrustFiles failedFiles;

    private UpstreamTls(Loaded loaded, Consumer<X509Certificate[]> chainSeen) {
        this.loaded = loaded;
        this.chainSeen = chainSeen;
    }

    /** Loads the CA files (or system trust) and client certificate, and builds the contexts. */
    public static UpstreamTls create(UpstreamTlsSettings settings) throws TlsConfigException {
        return create(settings, null);
    }

    /**
     * As {@link #create(UpstreamTlsSettings)}, and tells {@code chainSeen} every certificate chain a
     * server presents, before it is verified ("Test upstream" shows the chain of a failed test too).
     */
    public static UpstreamTls create(UpstreamTlsSettings settings, Consumer<X509Certificate[]> chainSeen) throws TlsConfigException {
        return new UpstreamTls(load(settings, chainSeen), chainSeen);
    }

    private static Loaded load(UpstreamTlsSettings settings, Consumer<X509Certificate[]> chainSeen) throws TlsConfigException {
        // Stamped before reading: a change while reading is seen at the next check.
        TrustFiles files = TrustFiles.of(settings);
        TrustAnchors trust = settings.systemTrust() ? TrustAnchors.system() : TrustAnchors.fromFiles(settings.caFiles(), settings::nameOf);
        DiagnosingTrustManager trustManager = new DiagnosingTrustManager(trust, chainSeen);
        ClientKey clientKey = settings.mutualTls()
                ? ClientKey.load(settings.clientCertificate(), settings.clientKey()) : null;
        return new Loaded(settings, trustManager, new HandshakeDiagnosis(settings, trustManager),
                context(settings, trustManager, clientKey, false),
                context(settings, trustManager, clientKey, true), files);
    }

    /** Hears every reload attempt (files changed, {@link #reload}, {@link #replace}), on the thread that made it. */
    public void addReloadListener(Consumer<TrustReload> listener) {
        reloadListeners.add(listener);
    }

    /** The trust for a new connection: loaded again first if its files changed since. */
    private Loaded current() {
        Loaded l = loaded;
        if (l.files().none()) return l;
        TrustFiles now = TrustFiles.of(l.settings());
        if (now.sameAs(l.files())) return l;
        synchronized (this) {
            if (now.sameAs(failedFiles) || loaded != l) return loaded; // already tried, or another thread reloaded
            return attempt(l.settings(), "files changed").loaded;
        }
    }

    private record Attempt(Loaded loaded, TrustReload report) {}

    /** Loads {@code settings}; on failure keeps what is loaded. Reports either way. */
    private synchronized Attempt attempt(UpstreamTlsSettings settings, String reason) {
        Loaded before = loaded;
        TrustReload report;
        try {
            Loaded next = load(settings, chainSeen);
            loaded = next;
            generation++;
            failedFiles = null;
            report = new TrustReload(true, Instant.now(), next.trustManager().trustDescription(), null, reason);
        } catch (TlsConfigException | RuntimeException e) {
            failedFiles = TrustFiles.of(settings);
            report = new TrustReload(false, Instant.now(), before.trustManager().trustDescription(),
                    e.getMessage() != null ? e.getMessage() : e.toString(), reason);
        }
        for (Consumer<TrustReload> l : reloadListeners) {
            try {
                l.accept(report);
            } catch (RuntimeException ignored) {
                // a faulty listener must not keep the trust from loading
            }
        }
        return new Attempt(loaded, report);
    }

    /** Which load of the trust is in use; it grows with every successful reload. */
    public long generation() {
        return generation;
    }

    /**
     * Checks the files as a new connection would (loading them if they changed) and returns the
     * generation in use then: a connection made ahead of time (a warm one) under an older
     * generation must not be handed out.
     */
    public long checkForChanges() {
        current();
        return generation;
    }

    /** Loads the files again now, changed or not (serve's SIGHUP); the last good trust stays if they fail. */
    public TrustReload reload(String reason) {
        return attempt(loaded.settings(), reason).report();
    }

    /**
     * Uses other files from the next connection on (a profile's trust edited in the app); live
     * connections keep theirs. If they do not load, the current trust stays and the report says why.
     */
    public TrustReload replace(UpstreamTlsSettings settings, String reason) {
        if (settings.provider() != loaded.settings().provider()) {
            throw new IllegalArgumentException("the TLS provider cannot change under a running engine");
        }
        return attempt(settings, reason).report();
    }

    private static SslContext context(UpstreamTlsSettings settings, DiagnosingTrustManager trustManager,
                                      ClientKey clientKey, boolean directTls) throws TlsConfigException {
        SslContextBuilder builder = clientKey == null ? SslContextBuilder.forClient()
                : KeyManagers.clientBuilder(settings.provider(), clientKey.key(), clientKey.chain());
        settings.provider().applyTo(builder)
                .trustManager(trustManager)
                .protocols(settings.tls13Only() ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"})
                .endpointIdentificationAlgorithm("HTTPS");
        if (directTls) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ALPN_POSTGRESQL));
        }
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new TlsConfigException("Cannot set up upstream TLS with the " + settings.provider().id()
                    + " provider: " + e.getMessage(), e);
        }
    }

    /**
     * A client handler that verifies the chain and that the certificate is valid for
     * {@code verifyHost} (the profile's server name, or the host connected to). SNI carries
     * {@code verifyHost} when it is a DNS name.
     */
    public SslHandler newHandler(ByteBufAllocator alloc, String verifyHost, int port, boolean directTls) {
        String host = HostNames.unbracket(verifyHost); // "[::1]" is URL syntax; certificates hold the bare address
        Loaded l = current();
        SslHandler handler = (directTls ? l.directContext() : l.negotiatedContext()).newHandler(alloc, host, port);
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        String sni = HostNames.sniName(host);
        if (sni != null) {
            try {
                params.setServerNames(List.of(new SNIHostName(sni)));
            } catch (IllegalArgumentException notAnSniName) {
                // e.g. an underscore in the name: verification still uses verifyHost, only SNI is left out
            }
        }
        engine.setSSLParameters(params);
        return handler;
    }

    /**
     * Explains a failed handshake of a handler from {@link #newHandler}: pass the handshake
     * future's cause, {@code handler.engine()} and whether it was direct TLS.
     */
    public UpstreamDiagnosis diagnose(Throwable handshakeFailure, SSLEngine engine, boolean directTls) {
        return loaded.handshakes().diagnose(handshakeFailure, engine, directTls);
    }

    /**
     * The trusted CA certificate that a chain from this server leads to (the server's own
     * certificate when it is trusted directly); null when it leads to none.
     */
    public X509Certificate trustAnchorOf(List<X509Certificate> chain) {
        return loaded.trustManager().anchorOf(chain.toArray(new X509Certificate[0]));
    }

    /**
     * A completed direct TLS handshake in which the server selected {@code selected} (null:
     * nothing) instead of ALPN {@link #ALPN_POSTGRESQL}: the connection must not be used.
     */
    public static UpstreamDiagnosis alpnMismatch(String selected) {
        return HandshakeDiagnosis.alpnMismatch(selected, null);
    }

    /** Where trust comes from, for messages: {@code CA file /x/ca.pem}, {@code the system trust store}. */
    public String trustDescription() {
        return loaded.trustManager().trustDescription();
    }

    /** The settings in use now (the last that loaded). */
    public UpstreamTlsSettings settings() {
        return loaded.settings();
    }
}
