package dev.verifull.engine.pg;

import dev.verifull.engine.CancelKeys;
import dev.verifull.engine.Outcome;
import dev.verifull.engine.Session;
import dev.verifull.wire.AuthenticationSasl;
import dev.verifull.wire.BackendKeyData;
import dev.verifull.wire.BackendMessage;
import dev.verifull.wire.ErrorResponse;
import dev.verifull.wire.ProtocolViolationException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Reads the server's messages until the first ReadyForQuery or ErrorResponse: records the login
 * outcome and the BackendKeyData (for cancel forwarding), and removes SCRAM-SHA-256-PLUS from the
 * SASL offer (channel binding cannot cross a TLS-terminating proxy). Then it steps aside and the
 * relay carries bytes unparsed.
 */
final class UpstreamStartupWatcher extends ChannelInboundHandlerAdapter {
    static final String NAME = "startup-watch";

    private final Session session;
    private final CancelKeys cancelKeys;
    private final boolean clientEncrypted;
    private ByteBuf buffer;
    private boolean strippedPlus;
    private boolean done;

    UpstreamStartupWatcher(Session session, CancelKeys cancelKeys, boolean clientEncrypted) {
        this.session = session;
        this.cancelKeys = cancelKeys;
        this.clientEncrypted = clientEncrypted;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        buffer = buffer == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), buffer, in);
        try {
            while (!done) {
                int length = BackendMessage.wholeFrameLength(buffer);
                if (length < 0) break;
                ByteBuf frame = buffer.readRetainedSlice(length);
                ctx.fireChannelRead(inspect(ctx, frame));
            }
        } catch (ProtocolViolationException e) {
            session.serverRejected("08P01", "verifull: the upstream server sent a malformed message during startup: " + e.getMessage());
            ctx.close();
            return;
        }
        if (done) {
            ByteBuf rest = buffer;
            buffer = null;
            if (rest.isReadable()) ctx.fireChannelRead(rest);
            else rest.release();
            ctx.pipeline().remove(this);
        } else if (!buffer.isReadable()) {
            buffer.release();
            buffer = null;
        }
    }

    /** Returns the frame to pass on (the same one, or a rewritten copy with the original released). */
    private ByteBuf inspect(ChannelHandlerContext ctx, ByteBuf frame) throws ProtocolViolationException {
        byte type = frame.getByte(frame.readerIndex());
        switch (type) {
            case BackendMessage.AUTHENTICATION -> {
                if (AuthenticationSasl.isSasl(frame)
                        && AuthenticationSasl.mechanisms(frame).contains(AuthenticationSasl.SCRAM_SHA_256_PLUS)) {
                    ByteBuf rewritten = AuthenticationSasl.withoutMechanism(frame, AuthenticationSasl.SCRAM_SHA_256_PLUS, ctx.alloc());
                    frame.release();
                    strippedPlus = true;
                    return rewritten;
                }
            }
            case BackendMessage.BACKEND_KEY_DATA -> {
                BackendKeyData key = BackendKeyData.decodeFrame(frame);
                cancelKeys.register(key.processId(), key.secretKey(), session.id());
                session.backendPid(key.processId());
            }
            case BackendMessage.READY_FOR_QUERY -> {
                session.outcome(Outcome.AUTHENTICATED);
                done = true;
            }
            case BackendMessage.ERROR_RESPONSE -> {
                done = true;
                ErrorResponse error = ErrorResponse.decodeBody(frame.slice(frame.readerIndex() + 5, frame.readableBytes() - 5));
                if (isChannelBindingDowngrade(error)) {
                    ErrorResponse explained = ChannelBinding.explain(error);
                    session.serverRejected(explained.sqlState(), explained.message(), explained.detail(), explained.hint());
                    frame.release();
                    return explained.encode(ctx.alloc());
                }
                session.serverRejected(error.sqlState(), error.message(), error.detail(), error.hint());
            }
            default -> {
                // ParameterStatus, NegotiateProtocolVersion, notices, SASL continuations: passed on as they are.
            }
        }
        return frame;
    }

    private boolean isChannelBindingDowngrade(ErrorResponse error) {
        return strippedPlus && clientEncrypted && ChannelBinding.isDowngradeError(error);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
