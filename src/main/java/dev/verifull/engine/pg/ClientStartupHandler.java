package dev.verifull.engine.pg;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import dev.verifull.engine.Admission;
import dev.verifull.engine.ClientTransport;
import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.EngineContext;
import dev.verifull.engine.Outcome;
import dev.verifull.engine.Refusal;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.Session;
import dev.verifull.upstream.UpstreamVerifier;
import dev.verifull.wire.CancelRequest;
import dev.verifull.wire.ErrorResponse;
import dev.verifull.wire.GssEncRequest;
import dev.verifull.wire.ProtocolViolationException;
import dev.verifull.wire.SslRequest;
import dev.verifull.wire.StartupMessage;
import dev.verifull.wire.StartupPacket;
import dev.verifull.wire.StartupPacketDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The client's startup phase: admission (identity), then SSLRequest / GSSENCRequest / direct TLS
 * / CancelRequest / StartupMessage. Nothing from the client reaches the upstream before the
 * upstream is verified; on success the pipelines are rewired into a plain relay.
 */
final class ClientStartupHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "startup";
    private static final byte TLS_HANDSHAKE_RECORD = 0x16;
    /** How long a refused client gets to read its ErrorResponse before the connection is cut. */
    private static final long LINGER_MILLIS = 2000;
    /** Bytes buffered while the admission step (e.g. a Tailscale whois) has not answered yet. */
    private static final int MAX_EARLY_BYTES = 16 * 1024;
    /**
     * A TLS alert record, fatal handshake_failure (TLS 1.2 record header), for a client that starts
     * direct TLS where none is offered: its TLS library reports a failed handshake instead of garbage.
     */
    private static final byte[] HANDSHAKE_FAILURE_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};

    private final EngineContext engine;
    private final EngineConfig config;
    private Session session;
    private UpstreamLeg upstream;
    private Refusal pendingRefusal;
    private ByteBuf buffer;
    private ScheduledFuture<?> timeout;
    private boolean tlsStarted;
    private boolean gssAnswered;
    /** SSLRequest answered 'N' (TLS not offered): the client goes on in plaintext. */
    private boolean sslDeclined;
    private boolean finished;
    private boolean relayed;
    /**
     * Set once the admission step answered. Reading starts at once (a channel registered without
     * read interest proved fragile with epoll), but bytes that arrive earlier wait in the buffer.
     */
    private boolean admissionDone;
    /** The client half-closed during the startup phase ... */
    private boolean inputEnded;
    /** ... and everything it sent has been read. */
    private boolean inputDrained;
    private String endReason;

    private final WarmUpstreams warm;

    ClientStartupHandler(EngineContext engine, WarmUpstreams warm) {
        this.engine = engine;
        this.config = engine.config();
        this.warm = warm;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        session = engine.sessions().open(remote, config.upstreamHost(), config.upstreamPort(), () -> {
            endReason = "ended by Verifull";
            ch.close();
        });
        session.clientTransport(ClientTransport.PLAINTEXT, null, null);
        ch.closeFuture().addListener(f -> closed());
        timeout = ctx.executor().schedule(() -> timedOut(ctx), config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (engine.sessions().countedSessions() > config.maxSessions()) {
            pendingRefusal = Refusal.of(RefusalReason.TOO_MANY_SESSIONS,
                    "too many sessions on '" + config.name() + "' (limit " + config.maxSessions() + ")",
                    "Close idle connections, or raise the limit (--max-sessions / the profile's session limit).");
            admissionDone = true;
            startReading(ctx);
            return;
        }
        config.admission().admit(remote).whenComplete((admission, error) ->
                ctx.executor().execute(() -> admitted(ctx, admission, error)));
        ctx.fireChannelActive();
    }

    private void admitted(ChannelHandlerContext ctx, Admission admission, Throwable error) {
        if (!ctx.channel().isActive() || finished) return;
        if (error != null) {
            pendingRefusal = Refusal.of(RefusalReason.IDENTITY_UNAVAILABLE,
                    "cannot tell who is connecting from " + session.snapshot().clientAddress() + " (" + error.getMessage() + ")",
                    "Check that Tailscale is running on this machine.");
        } else {
            session.admitted(admission);
            if (!admission.allowed()) pendingRefusal = admission.refusal();
        }
        admissionDone = true;
        if (pendingRefusal == null) {
            // A warm, already verified connection when there is one; otherwise verify the upstream
            // while the client is still negotiating: either saves round trips.
            upstream = warm != null ? warm.take(ctx.channel().eventLoop()) : null;
            if (upstream != null) {
                upstream.attach(session);
            } else {
                upstream = new UpstreamLeg(engine, session, ctx.channel().eventLoop());
                upstream.connect();
            }
        }
        startReading(ctx);
        // Netty may deliver bytes before reading was turned on (e.g. with a peer's early FIN).
        if (buffer != null && buffer.isReadable()) process(ctx);
        abandonIfInputEnded(ctx);
    }

    /** After a half-close, a startup phase that is not complete by now never will be. */
    private void abandonIfInputEnded(ChannelHandlerContext ctx) {
        if (inputDrained && !finished) {
            finished = true;
            endReason = "client closed the connection during startup";
            closeEverything(ctx);
        }
    }

    private static void startReading(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(true);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (finished) {
            in.release();
            return;
        }
        buffer = buffer == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), buffer, in);
        if (admissionDone) {
            process(ctx);
        } else if (buffer.readableBytes() > MAX_EARLY_BYTES) {
            // More than any startup phase needs while we still wait for the admission: stop reading.
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void process(ChannelHandlerContext ctx) {
        while (!finished && buffer != null && buffer.isReadable()) {
            if (!tlsStarted && !gssAnswered && buffer.getByte(buffer.readerIndex()) == TLS_HANDSHAKE_RECORD) {
                startDirectTls(ctx);
                return;
            }
            StartupPacket packet;
            try {
                packet = StartupPacketDecoder.decode(buffer);
            } catch (ProtocolViolationException e) {
                refuse(ctx, Refusal.of(RefusalReason.CLIENT_PROTOCOL, "invalid startup packet: " + e.getMessage(),
                        "The client does not speak the PostgreSQL protocol, or sent something unexpected. Connect with a PostgreSQL client."));
                return;
            }
            if (packet == null) return;
            if (packet instanceof SslRequest && !config.offersClientTls() && !sslDeclined) {
                // As PostgreSQL with ssl=off and PgBouncer's default: 'N', and the client goes on in plaintext.
                sslDeclined = true;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
            } else if (packet instanceof SslRequest) {
                onSslRequest(ctx);
                return;
            } else if (packet instanceof GssEncRequest) {
                if (tlsStarted || gssAnswered) {
                    protocolViolation(ctx, "GSSENCRequest received after encryption was already negotiated");
                    return;
                }
                gssAnswered = true;
                // No GSSAPI encryption here; the client may go on with SSLRequest or StartupMessage.
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
            } else if (packet instanceof CancelRequest cancel) {
                onCancel(ctx, cancel);
                return;
            } else if (packet instanceof StartupMessage startup) {
                onStartup(ctx, startup);
                return;
            }
        }
    }

    private void onSslRequest(ChannelHandlerContext ctx) {
        if (tlsStarted) {
            protocolViolation(ctx, "SSLRequest received inside TLS");
            return;
        }
        if (sslDeclined) {
            protocolViolation(ctx, "SSLRequest received again after it was answered");
            return;
        }
        if (buffer.isReadable()) {
            // Anything sent after the SSLRequest and before our 'S' could be injected by a man in the
            // middle and must never be treated as part of the encrypted stream (CVE-2021-23214).
            refuse(ctx, Refusal.of(RefusalReason.CLIENT_PROTOCOL,
                    "unencrypted data received after the SSLRequest, before the TLS handshake",
                    "Something between the client and Verifull may be tampering with the connection."));
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'S'}));
        startTls(ctx, ClientTransport.TLS);
    }

    private void startDirectTls(ChannelHandlerContext ctx) {
        if (!config.offersClientTls()) {
            refuseDirectTls(ctx);
            return;
        }
        startTls(ctx, ClientTransport.DIRECT_TLS);
        ByteBuf hello = buffer;
        buffer = null;
        // Feed the ClientHello from the head of the pipeline so the new TLS handler sees it first,
        // then end the "read" so it flushes its ServerHello: when the admission step answers after
        // the real read completed (io_uring often reads first), no other read-complete would come.
        ctx.pipeline().fireChannelRead(hello);
        ctx.pipeline().fireChannelReadComplete();
    }

    /** No TLS is offered: a TLS alert for the client, the reason (or an earlier refusal) for the record. */
    private void refuseDirectTls(ChannelHandlerContext ctx) {
        Refusal refusal = pendingRefusal != null ? pendingRefusal : Refusal.of(RefusalReason.CLIENT_TLS,
                "the client started with direct TLS, but '" + config.name() + "' does not offer TLS to clients",
                "Connect without sslnegotiation=direct (the client's leg needs no TLS: it stays on this machine or "
                        + "inside the tailnet), or turn on \"Offer TLS to clients\" (serve: --client-tls on).");
        ctx.writeAndFlush(Unpooled.wrappedBuffer(HANDSHAKE_FAILURE_ALERT));
        finishWithRefusal(ctx, refusal, false);
    }

    private void startTls(ChannelHandlerContext ctx, ClientTransport transport) {
        tlsStarted = true;
        SslHandler tls = config.clientTls().newHandler(ctx.alloc());
        tls.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
        ctx.pipeline().addFirst("tls", tls);
        tls.handshakeFuture().addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                clientTlsFailed(ctx, f.cause());
                return;
            }
            String protocol = tls.engine().getSession().getProtocol();
            String cipher = tls.engine().getSession().getCipherSuite();
            session.clientTransport(transport, protocol, cipher);
            if (transport == ClientTransport.DIRECT_TLS && !"postgresql".equals(tls.applicationProtocol())) {
                refuse(ctx, Refusal.of(RefusalReason.CLIENT_TLS,
                        "direct TLS connections must negotiate the ALPN protocol \"postgresql\"",
                        "Use a PostgreSQL 17+ client with sslnegotiation=direct, or connect with the usual SSLRequest."));
            }
        });
    }

    private void clientTlsFailed(ChannelHandlerContext ctx, Throwable cause) {
        if (finished) return;
        String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        finishWithRefusal(ctx, Refusal.of(RefusalReason.CLIENT_TLS,
                "the TLS handshake with the client failed (" + why + ")",
                "If the client verifies certificates, give it Verifull's local CA (sslrootcert) and connect to a name the CA issued for."),
                false);
    }

    private void onCancel(ChannelHandlerContext ctx, CancelRequest cancel) {
        finished = true;
        timeout.cancel(false);
        session.cancelRequest();
        ctx.channel().config().setAutoRead(false);
        Long target = engine.cancelKeys().sessionFor(cancel.processId(), cancel.secretKey());
        if (pendingRefusal != null) {
            // Denied peers get no reply to a cancel (there never is one), but the attempt is on record.
            engine.sessions().refused(session, pendingRefusal, "cancel request refused");
            closeEverything(ctx);
            return;
        }
        if (target == null) {
            session.outcome(Outcome.CANCEL_IGNORED);
            endReason = "cancel request for an unknown backend key";
            closeEverything(ctx);
            return;
        }
        upstream.whenReady((up, refusal) -> {
            if (refusal != null) {
                engine.sessions().refused(session, refusal, "cancel request not forwarded");
                ctx.close();
                return;
            }
            session.outcome(Outcome.CANCEL_FORWARDED);
            endReason = "cancel request forwarded for session " + target;
            // The server reads the request and closes without a reply; so do we towards the client.
            up.writeAndFlush(cancel.encode(up.alloc())).addListener(ChannelFutureListener.CLOSE);
            ctx.close();
        });
    }

    private void onStartup(ChannelHandlerContext ctx, StartupMessage startup) {
        timeout.cancel(false);
        ctx.channel().config().setAutoRead(false);
        session.startup(startup.majorVersion() + "." + startup.minorVersion(), startup.user(), startup.database(),
                startup.applicationName());
        if (pendingRefusal != null) {
            refuse(ctx, pendingRefusal);
            return;
        }
        finished = true;
        upstream.whenReady((up, refusal) -> {
            if (refusal != null) {
                refuse(ctx, refusal);
            } else if (!ctx.channel().isActive()) {
                up.close();
            } else if (!up.isActive()) {
                refuse(ctx, Refusal.of(RefusalReason.UPSTREAM_UNREACHABLE,
                        "the upstream server " + config.upstreamEndpoint() + " closed the verified connection before the login",
                        "Check the server's log (authentication_timeout, connection limits)."));
            } else {
                relay(ctx, up, startup);
            }
        });
    }

    /** Rewires both pipelines into a relay and forwards the StartupMessage unchanged. */
    private void relay(ChannelHandlerContext ctx, Channel up, StartupMessage startup) {
        Channel client = ctx.channel();
        relayed = true;
        ByteBuf leftover = buffer;
        buffer = null;
        up.pipeline().remove(UpstreamVerifier.IDLE_WATCH);
        up.pipeline().addLast(UpstreamStartupWatcher.NAME,
                new UpstreamStartupWatcher(session, engine.cancelKeys(), session.clientTransport().encrypted()));
        up.pipeline().addLast(RelayHandler.NAME, new RelayHandler(client, session::addBytesToClient));
        up.closeFuture().addListener(f -> {
            if (endReason == null) endReason = "server closed the connection";
        });
        ctx.pipeline().addLast(RelayHandler.NAME, new RelayHandler(up, session::addBytesFromClient));
        ctx.pipeline().remove(this);

        engine.sessions().started(session);
        up.write(startup.encode(up.alloc()));
        if (leftover != null && leftover.isReadable()) {
            session.addBytesFromClient(leftover.readableBytes());
            up.write(leftover);
        } else if (leftover != null) {
            leftover.release();
        }
        up.flush();
        // A client that half-closed after its startup messages: the server learns it too, after them.
        if (inputEnded) RelayHandler.halfClose(up);
        up.config().setAutoRead(true);
        client.config().setAutoRead(true);
    }

    private void protocolViolation(ChannelHandlerContext ctx, String what) {
        refuse(ctx, Refusal.of(RefusalReason.CLIENT_PROTOCOL, what,
                "The client sent messages out of order; connect with a PostgreSQL client."));
    }

    private void timedOut(ChannelHandlerContext ctx) {
        if (finished) return;
        refuse(ctx, Refusal.of(RefusalReason.CLIENT_TIMEOUT,
                "no complete startup message within " + config.handshakeTimeout().toSeconds() + " s",
                "The client was too slow or stalled during the TLS or startup handshake."));
    }

    /** Refuses while the startup phase is still ours (the upstream has not been used). */
    private void refuse(ChannelHandlerContext ctx, Refusal refusal) {
        finishWithRefusal(ctx, refusal, true);
    }

    private void finishWithRefusal(ChannelHandlerContext ctx, Refusal refusal, boolean tellClient) {
        finished = true;
        if (timeout != null) timeout.cancel(false);
        releaseBuffer();
        ctx.channel().config().setAutoRead(false);
        if (upstream != null) upstream.close();
        engine.sessions().refused(session, refusal, "refused: " + refusal.reason().code());
        Channel ch = ctx.channel();
        if (tellClient && ch.isActive()) {
            ErrorResponse error = ErrorResponse.fatal(refusal.sqlState(), refusal.message(), refusal.detail(), refusal.hint());
            ch.writeAndFlush(error.encode(ch.alloc())).addListener(ChannelFutureListener.CLOSE);
            // A client stuck in its TLS handshake never lets the error out: do not wait for it forever.
            ch.eventLoop().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            ch.close();
        }
    }

    private void closeEverything(ChannelHandlerContext ctx) {
        releaseBuffer();
        if (upstream != null) upstream.close();
        ctx.close();
    }

    /** The client connection is gone: end the record, release the upstream. */
    private void closed() {
        if (timeout != null) timeout.cancel(false);
        if (relayed) engine.cancelKeys().forget(session.id());
        else if (upstream != null) upstream.close();
        engine.sessions().ended(session, endReason != null ? endReason
                : finished ? "client closed the connection" : "client closed the connection during startup");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            // The client finished sending. What it sent may still be a whole startup phase
            // (PostgreSQL answers such a client too), and part of it may still wait in the socket.
            inputEnded = true;
            return;
        }
        if (evt instanceof ChannelInputShutdownReadComplete) {
            // Everything the client sent has been read: a startup phase not complete now never will be.
            inputDrained = true;
            if (admissionDone) {
                process(ctx);
                abandonIfInputEnded(ctx);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBuffer();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBuffer();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException ssl) {
            clientTlsFailed(ctx, ssl);
        } else if (cause instanceof SSLException ssl) {
            clientTlsFailed(ctx, ssl);
        } else if (cause instanceof java.io.IOException io) {
            // Connection reset and the like: the client is gone.
            endReason = "connection error: " + (io.getMessage() != null ? io.getMessage() : io.getClass().getSimpleName());
            ctx.close();
        } else if (!finished) {
            finishWithRefusal(ctx, Refusal.of(RefusalReason.INTERNAL_ERROR, "internal error during the startup phase: " + cause,
                    "Please report this with the Verifull log."), true);
        } else {
            endReason = "internal error: " + cause;
            ctx.close();
        }
    }

    private void releaseBuffer() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
