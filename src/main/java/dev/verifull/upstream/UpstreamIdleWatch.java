package dev.verifull.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits on a verified upstream connection while it waits for the client's StartupMessage, so a
 * server that gives up in the meantime is noticed (and its errors do not go unhandled).
 */
final class UpstreamIdleWatch extends ChannelInboundHandlerAdapter {
    static final String NAME = "idle-watch";

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
