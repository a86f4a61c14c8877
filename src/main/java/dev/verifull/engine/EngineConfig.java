package dev.verifull.engine;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.verifull.tls.UpstreamTls;
import dev.verifull.upstream.UpstreamTarget;
import io.netty.handler.ssl.SslContext;

/**
 * Everything one engine needs: where to listen, which upstream to reach and how to verify it,
 * the client-facing TLS context, and its limits.
 *
 * @param upstreamServerName name the upstream certificate must match; null means the host
 * @param clientTls          server-side TLS context offered to clients (the local CA's leaf); null offers clients
 *                           no TLS: SSLRequest is answered 'N' and direct TLS is refused
 * @param warmUpstreams      verified upstream connections to keep ready per event loop (0 = none),
 *                           so new clients skip the TCP and TLS round trips to the server
 */
public record EngineConfig(
        String name,
        List<InetSocketAddress> listen,
        String upstreamHost,
        int upstreamPort,
        String upstreamServerName,
        boolean upstreamDirectTls,
        UpstreamTls upstreamTls,
        SslContext clientTls,
        int maxSessions,
        Duration handshakeTimeout,
        Duration upstreamConnectTimeout,
        int warmUpstreams,
        ClientAdmission admission) {

    /** What clients are shown when the engine offers them no TLS, in status lines. */
    public static final String NO_CLIENT_TLS = "no TLS (Offer TLS to clients is off)";

    public EngineConfig {
        Objects.requireNonNull(name, "name");
        listen = List.copyOf(listen);
        Objects.requireNonNull(upstreamHost, "upstreamHost");
        Objects.requireNonNull(upstreamTls, "upstreamTls");
        if (upstreamPort < 1 || upstreamPort > 65535) throw new IllegalArgumentException("upstream port " + upstreamPort);
        if (!EngineLimits.validMaxSessions(maxSessions)) throw new IllegalArgumentException("maxSessions must be at least 1");
        if (warmUpstreams < 0) throw new IllegalArgumentException("warmUpstreams must not be negative");
        if (handshakeTimeout == null) handshakeTimeout = EngineLimits.DEFAULT_HANDSHAKE_TIMEOUT;
        if (upstreamConnectTimeout == null) upstreamConnectTimeout = EngineLimits.DEFAULT_CONNECT_TIMEOUT;
        if (admission == null) admission = ClientAdmission.ANYONE;
    }

    /** Whether clients may negotiate TLS with the engine (SSLRequest or direct TLS). */
    public boolean offersClientTls() {
        return clientTls != null;
    }

    /** The name the upstream certificate is checked against. */
    public String verifiedName() {
        return UpstreamTarget.verifiedName(upstreamHost, upstreamServerName);
    }

    public String upstreamEndpoint() {
        return UpstreamTarget.endpoint(upstreamHost, upstreamPort);
    }

    /**
     * What each session's upstream connection is opened to. The connect timeout bounds all of it
     * (name lookup, TCP, SSLRequest, the verified TLS handshake); the client's handshake timeout is
     * the client's own and is not added, so a client waits for the upstream at most the connect timeout.
     */
    public UpstreamTarget upstreamTarget() {
        return new UpstreamTarget(upstreamHost, upstreamPort, upstreamServerName, upstreamDirectTls, upstreamTls,
                upstreamConnectTimeout, Duration.ZERO);
    }
}
