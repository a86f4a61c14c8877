package dev.verifull.tls;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/** TLS towards the proxy's own clients (psql, JDBC, ...). */
public final class ClientTls {
    private ClientTls() {}

    /**
     * A server context for TLS 1.2 and 1.3 with {@code identity}. A client offering ALPN
     * {@code postgresql} gets it selected; a client without ALPN still completes the handshake
     * (the engine decides afterwards whether a direct-TLS client without ALPN is refused).
     */
    public static SslContext serverContext(ServerIdentity identity, TlsProvider provider) throws TlsConfigException {
        SslContextBuilder builder = provider.applyTo(
                        KeyManagers.serverBuilder(provider, identity.key(), identity.chain()))
                .protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        UpstreamTls.ALPN_POSTGRESQL));
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new TlsConfigException("Cannot set up TLS for clients with the " + provider.id()
                    + " provider: " + e.getMessage(), e);
        }
    }
}
