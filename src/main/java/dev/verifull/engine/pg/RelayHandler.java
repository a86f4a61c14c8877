package dev.verifull.engine.pg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;

/**
 * Copies bytes from its channel to the peer without looking at them. Reading pauses while the
 * peer cannot take more (writability), so a slow side never makes the proxy buffer unboundedly.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "relay";

    /** What the relay tells about one direction's bytes (counting, and watching how the session ends). */
    interface Direction {
        /** Sees bytes before they are passed on; returns how many of them to pass on (from the reader index). */
        int read(ByteBuf buf);

        /** The sender finished: it half-closed or its connection closed. */
        void finished();
    }

    private final Channel peer;
    private final Direction direction;

    RelayHandler(Channel peer, Direction direction) {
        this.peer = peer;
        this.direction = direction;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            int pass = direction.read(buf);
            if (pass < buf.readableBytes()) {
                msg = buf.readRetainedSlice(pass);
                buf.release();
            }
        }
        peer.write(msg, peer.voidPromise());
        if (!peer.isWritable()) ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Our channel drained: let the peer, which feeds us, read again.
        if (ctx.channel().isWritable()) peer.config().setAutoRead(true);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            direction.finished();
            // Half-close: the sender finished; pass the end of stream on once everything is written.
            halfClose(peer);
            if (ctx.channel() instanceof DuplexChannel d && d.isOutputShutdown()) ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Tells {@code peer} that no more data comes, once everything written so far is out. */
    static void halfClose(Channel peer) {
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            SslHandler tls = peer.pipeline().get(SslHandler.class);
            if (tls != null) {
                // TLS has no half-close for application data: close_notify then close.
                tls.closeOutbound().addListener(x -> peer.close());
            } else if (peer instanceof DuplexChannel d && !d.isInputShutdown()) {
                d.shutdownOutput();
            } else {
                peer.close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        direction.finished();
        closeOnFlush(peer);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}
