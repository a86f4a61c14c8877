package dev.verifull.engine.pg;

import dev.verifull.engine.EngineContext;
import dev.verifull.engine.Session;
import dev.verifull.upstream.UpstreamVerifier;
import dev.verifull.wire.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/**
 * The end of the startup phase: both pipelines become a relay (the server's side watched until
 * the login is over), and the client's StartupMessage goes to the verified upstream unchanged,
 * followed by whatever the client sent after it.
 */
final class Relay {
    private Relay() {}

    /**
     * @param startupHandler the client's startup-phase handler, removed here
     * @param leftover       client bytes after the StartupMessage (owned from here on), or null
     * @param halfClosed     the client already finished sending: the server learns it after them
     * @param ending         watches how the session ends
     */
    static void start(EngineContext engine, Session session, ChannelHandlerContext startupHandler, Channel up,
                      StartupMessage startup, ByteBuf leftover, boolean halfClosed, SessionEnding ending) {
        Channel client = startupHandler.channel();
        up.pipeline().remove(UpstreamVerifier.IDLE_WATCH);
        up.pipeline().addLast(UpstreamStartupWatcher.NAME,
                new UpstreamStartupWatcher(session, engine.cancelKeys(), session.clientTransport().encrypted()));
        ending.connect(client, up);
        up.pipeline().addLast(RelayHandler.NAME, new RelayHandler(client, ending.fromServer));
        // Before the client's close is handled: a server that closed first is known by then.
        up.closeFuture().addListener(f -> ending.fromServer.finished());
        client.pipeline().addLast(RelayHandler.NAME, new RelayHandler(up, ending.fromClient));
        client.pipeline().remove(startupHandler.handler());

        engine.sessions().started(session);
        up.write(startup.encode(up.alloc()));
        if (leftover != null && leftover.isReadable()) {
            ending.fromClient.read(leftover);
            up.write(leftover);
        } else if (leftover != null) {
            leftover.release();
        }
        up.flush();
        if (halfClosed) {
            ending.fromClient.finished();
            RelayHandler.halfClose(up);
        }
        up.config().setAutoRead(true);
        client.config().setAutoRead(true);
    }
}
