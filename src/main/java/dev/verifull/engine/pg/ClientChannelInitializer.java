package dev.verifull.engine.pg;

import dev.verifull.engine.EngineContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/** Every accepted client starts with only the startup-phase handler. */
final class ClientChannelInitializer extends ChannelInitializer<Channel> {
    private final EngineContext engine;
    private final UpstreamSource upstreams;
    private final StartupPool pool;

    ClientChannelInitializer(EngineContext engine, UpstreamSource upstreams, StartupPool pool) {
        this.engine = engine;
        this.upstreams = upstreams;
        this.pool = pool;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(ClientStartupHandler.NAME, new ClientStartupHandler(engine, upstreams, pool));
    }
}
