package dev.verifull.engine.pg;

import dev.verifull.wire.ErrorResponse;
import dev.verifull.wire.ProtocolViolationException;
import dev.verifull.wire.SslRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sends the SSLRequest to the upstream and reads its one-byte answer. Only a lone 'S' leads to
 * TLS: bytes after it (CVE-2021-23222 style injection), 'N', an error, or anything else refuse.
 */
final class UpstreamTlsRequest extends ChannelInboundHandlerAdapter {
    static final String NAME = "tls-request";
    private static final int MAX_ERROR_BYTES = 8192;

    private final UpstreamVerifier attempt;
    private ByteBuf errorBytes;

    UpstreamTlsRequest(UpstreamVerifier attempt) {
        this.attempt = attempt;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(SslRequest.encode(ctx.alloc()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (errorBytes != null) {
                collectError(ctx, in);
                return;
            }
            if (!in.isReadable()) return;
            byte answer = in.getByte(in.readerIndex());
            switch (answer) {
                case 'S' -> {
                    if (in.readableBytes() > 1) {
                        attempt.fail(UpstreamFailures.dataAfterTlsAnswer(attempt.target()));
                        return;
                    }
                    ctx.pipeline().remove(this);
                    attempt.startTls(ctx.channel(), false);
                }
                case 'N' -> attempt.fail(UpstreamFailures.noTls(attempt.target()));
                case 'E' -> {
                    errorBytes = ctx.alloc().buffer();
                    collectError(ctx, in);
                }
                default -> attempt.fail(UpstreamFailures.notPostgres(attempt.target(), answer));
            }
        } finally {
            in.release();
        }
    }

    private void collectError(ChannelHandlerContext ctx, ByteBuf in) {
        errorBytes.writeBytes(in, Math.min(in.readableBytes(), MAX_ERROR_BYTES - errorBytes.readableBytes()));
        if (errorBytes.readableBytes() < 5) return;
        int length = errorBytes.getInt(errorBytes.readerIndex() + 1);
        if (length < 4 || length + 1 > MAX_ERROR_BYTES) {
            attempt.fail(UpstreamFailures.notPostgres(attempt.target(), (byte) 'E'));
        } else if (errorBytes.readableBytes() >= length + 1) {
            try {
                ErrorResponse e = ErrorResponse.decodeBody(errorBytes.slice(errorBytes.readerIndex() + 5, length - 4));
                attempt.fail(UpstreamFailures.errorToTlsRequest(attempt.target(), e));
            } catch (ProtocolViolationException ex) {
                attempt.fail(UpstreamFailures.notPostgres(attempt.target(), (byte) 'E'));
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        attempt.fail(UpstreamFailures.closedBeforeTls(attempt.target()));
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (errorBytes != null) {
            errorBytes.release();
            errorBytes = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        attempt.fail(UpstreamFailures.unreachable(attempt.target(), cause));
    }
}
