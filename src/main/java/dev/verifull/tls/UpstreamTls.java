package dev.verifull.tls;

import java.security.cert.X509Certificate;
import java.util.List;
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
 * {@code postgresql}). Built once per engine; immutable and safe to share between event loops.
 */
public final class UpstreamTls {
    /** The ALPN protocol name PostgreSQL requires for direct TLS. */
    public static final String ALPN_POSTGRESQL = "postgresql";

    private final UpstreamTlsSettings settings;
    private final DiagnosingTrustManager trustManager;
    private final HandshakeDiagnosis handshakes;
    private final SslContext negotiatedContext;
    private final SslContext directContext;

    private UpstreamTls(UpstreamTlsSettings settings, DiagnosingTrustManager trustManager,
                        SslContext negotiatedContext, SslContext directContext) {
        this.settings = settings;
        this.trustManager = trustManager;
        this.handshakes = new HandshakeDiagnosis(settings, trustManager);
        this.negotiatedContext = negotiatedContext;
        this.directContext = directContext;
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
        TrustAnchors trust = settings.systemTrust() ? TrustAnchors.system() : TrustAnchors.fromFiles(settings.caFiles(), settings::nameOf);
        DiagnosingTrustManager trustManager = new DiagnosingTrustManager(trust, chainSeen);
        ClientKey clientKey = settings.mutualTls()
                ? ClientKey.load(settings.clientCertificate(), settings.clientKey()) : null;
        return new UpstreamTls(settings, trustManager,
                context(settings, trustManager, clientKey, false),
                context(settings, trustManager, clientKey, true));
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
        SslHandler handler = (directTls ? directContext : negotiatedContext).newHandler(alloc, host, port);
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
        return handshakes.diagnose(handshakeFailure, engine, directTls);
    }

    /**
     * The trusted CA certificate that a chain from this server leads to (the server's own
     * certificate when it is trusted directly); null when it leads to none.
     */
    public X509Certificate trustAnchorOf(List<X509Certificate> chain) {
        return trustManager.anchorOf(chain.toArray(new X509Certificate[0]));
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
        return trustManager.trustDescription();
    }

    public UpstreamTlsSettings settings() {
        return settings;
    }
}
