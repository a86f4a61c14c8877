package dev.verifull.engine.pg;

import dev.verifull.engine.EngineContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/** Every accepted client starts with only the startup-phase handler. */
final class ClientChannelInitializer extends ChannelInitializer<Channel> {
    private final EngineContext engine;
    private final java.util.function.Supplier<WarmUpstreams> warm;

    /** @param warm the engine's warm upstream pool, or a supplier of null when it keeps none */
    ClientChannelInitializer(EngineContext engine, java.util.function.Supplier<WarmUpstreams> warm) {
        this.engine = engine;
        this.warm = warm;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(ClientStartupHandler.NAME, new ClientStartupHandler(engine, warm.get()));
    }
}
