package dev.verifull.upstream;

import dev.verifull.tls.UpstreamDiagnosis.Kind;
import dev.verifull.tls.UpstreamDiagnosis;
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
                        attempt.fail(dataAfterTlsAnswer(attempt.target()));
                        return;
                    }
                    ctx.pipeline().remove(this);
                    attempt.startTls(ctx.channel(), false);
                }
                case 'N' -> attempt.fail(noTls(attempt.target()));
                case 'E' -> {
                    errorBytes = ctx.alloc().buffer();
                    collectError(ctx, in);
                }
                default -> attempt.fail(notPostgres(attempt.target(), answer));
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
            attempt.fail(notPostgres(attempt.target(), (byte) 'E'));
        } else if (errorBytes.readableBytes() >= length + 1) {
            try {
                ErrorResponse e = ErrorResponse.decodeBody(errorBytes.slice(errorBytes.readerIndex() + 5, length - 4));
                attempt.fail(errorToTlsRequest(attempt.target(), e));
            } catch (ProtocolViolationException ex) {
                attempt.fail(notPostgres(attempt.target(), (byte) 'E'));
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        attempt.fail(closedBeforeTls(attempt.target()));
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
        attempt.fail(UpstreamVerifier.unreachable(attempt.target(), cause));
    }

    private static UpstreamDiagnosis noTls(UpstreamTarget t) {
        return new UpstreamDiagnosis(Kind.NO_TLS,
                "the upstream server " + t.endpoint() + " does not accept TLS connections (it answered 'N' to the SSLRequest)", null,
                "Verifull only connects upstream over verified TLS. Turn on ssl in the server's configuration, or check that the port belongs to the right server.");
    }

    /**
     * The server's words are kept out of message, detail and hint: before TLS nothing shows that
     * they come from the server (CVE-2024-10977; libpq stopped printing them). They travel in the
     * diagnosis' unauthenticated text, which only the audit log shows.
     */
    private static UpstreamDiagnosis errorToTlsRequest(UpstreamTarget t, ErrorResponse e) {
        return new UpstreamDiagnosis(Kind.SERVER_ERROR,
                "the upstream server " + t.endpoint() + " answered the TLS request with an error",
                "Its text is not shown: it came before TLS, so anyone on the network path could have written it. "
                        + "Verifull's audit log keeps it, marked as unauthenticated.",
                "The server may be too old for TLS negotiation, out of connection slots, or not ready; check its log.",
                unauthenticatedText(e));
    }

    /** {@code SQLSTATE: message}, and the detail on a line of its own, as the server sent them. */
    private static String unauthenticatedText(ErrorResponse e) {
        String text = (e.sqlState() != null ? e.sqlState() + ": " : "") + (e.message() != null ? e.message() : "");
        return e.detail() != null && !e.detail().isEmpty() ? text + "\n" + e.detail() : text;
    }

    private static UpstreamDiagnosis notPostgres(UpstreamTarget t, byte first) {
        return new UpstreamDiagnosis(Kind.NOT_POSTGRES,
                "the upstream server " + t.endpoint() + " did not answer the TLS request as PostgreSQL does (first byte 0x"
                        + String.format("%02x", first & 0xff) + ")", null,
                "Check that " + t.endpoint() + " is a PostgreSQL server and not another service or a plaintext proxy.");
    }

    private static UpstreamDiagnosis dataAfterTlsAnswer(UpstreamTarget t) {
        return new UpstreamDiagnosis(Kind.DATA_AFTER_TLS_ANSWER,
                "the upstream server " + t.endpoint() + " sent unencrypted data after agreeing to TLS", null,
                "Something between Verifull and the server may be tampering with the connection (CVE-2021-23222 pattern).");
    }

    private static UpstreamDiagnosis closedBeforeTls(UpstreamTarget t) {
        return new UpstreamDiagnosis(Kind.CLOSED_BEFORE_TLS,
                "the upstream server " + t.endpoint() + " closed the connection before answering the TLS request", null,
                "Check the server's log; it may be overloaded or refusing this machine's address.");
    }
}
