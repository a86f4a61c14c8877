package dev.verifull.engine.pg;

import dev.verifull.engine.Session;
import io.netty.channel.EventLoop;

/**
 * Where a client connection's upstream legs come from: the engine's open verified connections
 * ({@link EngineUpstreams}); the startup phase's tests hand out legs they settle themselves.
 * All on the client's event loop.
 */
interface UpstreamSource {
    /**
     * A leg for a client that has not sent its StartupMessage yet, so the server's round trips
     * overlap the client's TLS handshake; null when the engine has as many out as it allows.
     */
    UpstreamLeg speculative(Session session, EventLoop loop);

    /** The leg for a session whose StartupMessage arrived: a warm one if there is one, else a new one. */
    UpstreamLeg forSession(Session session, EventLoop loop);

    /** A new leg to forward a cancel request on. */
    UpstreamLeg forCancel(Session session, EventLoop loop);
}
