package dev.verifull.engine.pg;

import dev.verifull.engine.EngineContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/** Every accepted client starts with only the startup-phase handler. */
public final class ClientChannelInitializer extends ChannelInitializer<Channel> {
    private final EngineContext engine;

    public ClientChannelInitializer(EngineContext engine) {
        this.engine = engine;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(ClientStartupHandler.NAME, new ClientStartupHandler(engine));
    }
}
