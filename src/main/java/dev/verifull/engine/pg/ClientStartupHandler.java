package dev.verifull.engine.pg;

import static dev.verifull.engine.pg.StartupPhase.AWAITING_ADMISSION;
import static dev.verifull.engine.pg.StartupPhase.AWAITING_STARTUP;
import static dev.verifull.engine.pg.StartupPhase.CLOSED;
import static dev.verifull.engine.pg.StartupPhase.CONNECTING_UPSTREAM;
import static dev.verifull.engine.pg.StartupPhase.FORWARDING_CANCEL;
import static dev.verifull.engine.pg.StartupPhase.GSS_DECLINED;
import static dev.verifull.engine.pg.StartupPhase.NEGOTIATING;
import static dev.verifull.engine.pg.StartupPhase.REFUSING;
import static dev.verifull.engine.pg.StartupPhase.RELAYING;
import static dev.verifull.engine.pg.StartupPhase.TLS_DECLINED;
import static dev.verifull.engine.pg.StartupPhase.TLS_HANDSHAKE;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

import dev.verifull.engine.Admission;
import dev.verifull.engine.ClientTransport;
import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.EngineContext;
import dev.verifull.engine.Refusal;
import dev.verifull.engine.Session;
import dev.verifull.engine.SessionEnd;
import dev.verifull.engine.SessionEnd.Cause;
import dev.verifull.tls.UpstreamTls;
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
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One client connection's startup phase, from accept to relay or refusal, as the phase machine
 * of {@link StartupPhase}: admission (who is it), then SSLRequest / GSSENCRequest / direct TLS /
 * CancelRequest / StartupMessage. Until its StartupMessage the client is in the engine's
 * {@link StartupPool} and holds no session slot; the upstream is opened for it only then (or
 * earlier as one of the engine's few speculative legs). Nothing from the client reaches the
 * upstream before the upstream is verified. What each packet means is in {@link #onPacket};
 * refusals are worded in {@link StartupRefusals}.
 */
final class ClientStartupHandler extends ChannelInboundHandlerAdapter implements StartupPool.Member {
    static final String NAME = "startup";
    private static final byte TLS_HANDSHAKE_RECORD = 0x16;
    /** How long a refused client gets to read its ErrorResponse before the connection is cut. */
    private static final long LINGER_MILLIS = 2000;

    /** A fatal handshake_failure alert record (TLS 1.2 header), for direct TLS where none is offered. */
    private static final byte[] HANDSHAKE_FAILURE_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};

    private final EngineContext engine;
    private final EngineConfig config;
    private final UpstreamSource upstreams;
    private final StartupPool pool;
    private final ClientBytes input = new ClientBytes();
    private StartupPhase phase = AWAITING_ADMISSION;
    private ChannelHandlerContext ctx;
    private Session session;
    /** Speculative until the StartupMessage (or null), then the session's. */
    private UpstreamLeg upstream;
    /** The admission's refusal, told once the client can read it (after its StartupMessage). */
    private Refusal deferredRefusal;
    private ScheduledFuture<?> timeout;
    /** How the connection ends, when known before it closes (startup phase); a relayed session's is {@link #ending}'s. */
    private SessionEnd end;
    private SessionEnding ending;

    ClientStartupHandler(EngineContext engine, UpstreamSource upstreams, StartupPool pool) {
        this.engine = engine;
        this.config = engine.config();
        this.upstreams = upstreams;
        this.pool = pool;
    }

    /** The one place the phase changes. Leaving the startup phase gives back the pool place and the timer. */
    private void moveTo(StartupPhase next) {
        if (!phase.canMoveTo(next)) throw new IllegalStateException("startup phase " + phase + " cannot move to " + next);
        StartupPhase was = phase;
        phase = next;
        if (was.unfinished() && !next.unfinished()) {
            pool.leave(this);
            if (timeout != null) timeout.cancel(false);
        }
    }

    StartupPhase phase() {
        return phase;
    }

    Session session() {
        return session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        session = engine.sessions().open(remote, config.upstreamHost(), config.upstreamPort(),
                how -> ch.eventLoop().execute(() -> cut(how)));
        session.clientTransport(ClientTransport.PLAINTEXT, null, null);
        ch.closeFuture().addListener(f -> closed());
        timeout = ctx.executor().schedule(this::timedOut, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        pool.enter(remote.getAddress(), this);
        // Reading stays on (a channel registered without read interest proved fragile with epoll),
        // but what arrives before the admission's answer only waits in the buffer.
        config.admission().admit(remote).whenComplete((admission, error) ->
                ctx.executor().execute(() -> admitted(admission, error)));
        ctx.fireChannelActive();
    }

    private void admitted(Admission admission, Throwable error) {
        if (phase != AWAITING_ADMISSION) return; // dropped, timed out or gone meanwhile
        if (error != null) {
            deferredRefusal = StartupRefusals.identityUnavailable(session, error);
        } else {
            session.admitted(admission);
            if (!admission.allowed()) deferredRefusal = admission.refusal();
        }
        moveTo(NEGOTIATING);
        startReading();
        process();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (!phase.unfinished() && phase != CONNECTING_UPSTREAM) {
            in.release();
            return;
        }
        // While the upstream is connected, reading is off, but a read under way (or a TLS record
        // after the one with the StartupMessage) may still bring bytes: they follow it upstream.
        input.add(ctx.alloc(), in);
        if (phase == AWAITING_ADMISSION) {
            if (input.overEarlyLimit()) ctx.channel().config().setAutoRead(false);
        } else {
            process();
        }
    }

    /** Acts on every whole packet while the phase takes packets; a client that stopped sending is done. */
    private void process() {
        while (phase.readsPackets() && input.isReadable()) {
            if (phase == NEGOTIATING && input.firstByte() == TLS_HANDSHAKE_RECORD) {
                startDirectTls();
                break;
            }
            StartupPacket packet;
            try {
                packet = StartupPacketDecoder.decode(input.buffer());
            } catch (ProtocolViolationException e) {
                refuse(StartupRefusals.invalidPacket(e));
                return;
            }
            if (packet == null) break;
            onPacket(packet);
        }
        if (input.isDrained() && phase.unfinished() && phase != AWAITING_ADMISSION) {
            // After a half-close, a startup phase that is not complete by now never will be.
            end = SessionEnd.of(Cause.CLIENT_CLOSED, "client closed the connection during startup");
            ctx.close();
        }
    }

    /** The startup phase's rules: what a packet means in the phase it arrives in (see {@link StartupPhase}). */
    private void onPacket(StartupPacket packet) {
        if (packet instanceof SslRequest) {
            onSslRequest();
        } else if (packet instanceof GssEncRequest) {
            if (phase != NEGOTIATING) {
                refuse(StartupRefusals.outOfOrder("GSSENCRequest received after encryption was already negotiated"));
                return;
            }
            // No GSSAPI encryption here; the client may go on with SSLRequest or StartupMessage.
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
            moveTo(GSS_DECLINED);
        } else if (packet instanceof CancelRequest cancel) {
            moveTo(FORWARDING_CANCEL);
            CancelForwarder.forward(engine, session, ctx.channel(), cancel, deferredRefusal,
                    () -> upstream != null ? upstream : (upstream = upstreams.forCancel(session, ctx.channel().eventLoop())),
                    reason -> end = SessionEnd.of(Cause.CANCEL_HANDLED, reason));
        } else if (packet instanceof StartupMessage startup) {
            onStartup(startup);
        }
    }

    private void onSslRequest() {
        if (phase == AWAITING_STARTUP) {
            refuse(StartupRefusals.outOfOrder("SSLRequest received inside TLS"));
        } else if (phase == TLS_DECLINED) {
            refuse(StartupRefusals.outOfOrder("SSLRequest received again after it was answered"));
        } else if (!config.offersClientTls()) {
            // As PostgreSQL with ssl=off and PgBouncer's default: 'N', and the client goes on in plaintext.
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
            moveTo(TLS_DECLINED);
        } else if (input.isReadable()) {
            // Anything sent after the SSLRequest and before our 'S' could be injected by a man in the
            // middle and must never be treated as part of the encrypted stream (CVE-2021-23214).
            refuse(StartupRefusals.dataAfterSslRequest());
        } else {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'S'}));
            speculate();
            startTls(ClientTransport.TLS);
        }
    }

    private void startDirectTls() {
        if (!config.offersClientTls()) {
            // A TLS alert, so the client's TLS library reports a failed handshake instead of garbage.
            ctx.writeAndFlush(Unpooled.wrappedBuffer(HANDSHAKE_FAILURE_ALERT));
            finishWithRefusal(deferredRefusal != null ? deferredRefusal : StartupRefusals.directTlsNotOffered(config.name()), false);
            return;
        }
        speculate();
        startTls(ClientTransport.DIRECT_TLS);
        // Feed the ClientHello from the head of the pipeline so the new TLS handler sees it first,
        // then end the "read" so it flushes its ServerHello: when the admission step answers after
        // the real read completed (io_uring often reads first), no other read-complete would come.
        ctx.pipeline().fireChannelRead(input.takeAll());
        ctx.pipeline().fireChannelReadComplete();
    }

    /**
     * The client is about to do TLS, so its StartupMessage is near: an upstream connection started
     * now is verified by then. The engine has only a few of these out at a time, and starts none
     * for a client that will be refused (by the admission, or, as things stand, the session limit).
     */
    private void speculate() {
        if (deferredRefusal == null && upstream == null && engine.sessions().slotsTaken() < config.maxSessions()) {
            upstream = upstreams.speculative(session, ctx.channel().eventLoop());
        }
    }

    private void startTls(ClientTransport transport) {
        moveTo(TLS_HANDSHAKE);
        SslHandler tls = config.clientTls().newHandler(ctx.alloc());
        tls.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
        ctx.pipeline().addFirst("tls", tls);
        tls.handshakeFuture().addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                clientTlsFailed(f.cause());
            } else if (phase == TLS_HANDSHAKE) {
                session.clientTransport(transport, tls.engine().getSession().getProtocol(),
                        tls.engine().getSession().getCipherSuite());
                if (transport == ClientTransport.DIRECT_TLS && !UpstreamTls.ALPN_POSTGRESQL.equals(tls.applicationProtocol())) {
                    refuse(StartupRefusals.clientWithoutAlpn());
                    return;
                }
                moveTo(AWAITING_STARTUP);
                process();
            }
        });
    }

    private void clientTlsFailed(Throwable cause) {
        if (phase.unfinished()) finishWithRefusal(StartupRefusals.clientTlsFailed(cause), false);
    }

    private void onStartup(StartupMessage startup) {
        ctx.channel().config().setAutoRead(false);
        session.startup(startup.majorVersion() + "." + startup.minorVersion(), startup.user(), startup.database(),
                startup.applicationName());
        if (deferredRefusal != null) {
            refuse(deferredRefusal);
            return;
        }
        if (!engine.sessions().takeSlot(session, config.maxSessions())) {
            refuse(StartupRefusals.tooManySessions(config));
            return;
        }
        moveTo(CONNECTING_UPSTREAM);
        upstream = upstream != null ? upstream.claim() : upstreams.forSession(session, ctx.channel().eventLoop());
        upstream.whenReady((up, refusal) -> {
            if (phase != CONNECTING_UPSTREAM || !ctx.channel().isActive()) {
                if (up != null) up.close();
            } else if (refusal != null) {
                refuse(refusal);
            } else if (!up.isActive()) {
                refuse(StartupRefusals.upstreamClosedBeforeLogin(config));
            } else {
                moveTo(RELAYING);
                ending = new SessionEnding(session);
                Relay.start(engine, session, ctx, up, startup, input.takeAll(), input.hasEnded(), ending);
            }
        });
    }

    /** Dropped from the startup pool to make room for a newer connection. */
    @Override
    public void dropAsOldest() {
        ctx.executor().execute(() -> {
            // Only a client between packets reads an ErrorResponse; one in a TLS handshake or
            // still unidentified is simply closed.
            if (phase.unfinished()) finishWithRefusal(StartupRefusals.droppedAsOldest(config, pool), phase.readsPackets());
        });
    }

    /**
     * Verifull ends this connection (End session, shutdown, grace period over). A client that
     * waits for a message is told why with a FATAL ErrorResponse; one in a TLS handshake or not yet
     * identified is simply closed.
     */
    private void cut(SessionEnd how) {
        if (phase == RELAYING) {
            ending.cut(how);
            return;
        }
        if (phase == CLOSED) return;
        if (end == null) end = how;
        Channel ch = ctx.channel();
        if ((phase.readsPackets() || phase == CONNECTING_UPSTREAM) && ch.isActive()) {
            ch.writeAndFlush(SessionEnding.errorFor(how.cause()).encode(ch.alloc())).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }

    private void timedOut() {
        if (phase.unfinished()) refuse(StartupRefusals.timedOut(config));
    }

    private void startReading() {
        ctx.channel().config().setAutoRead(true);
        ctx.read();
    }

    /** Refuses while the startup phase is still ours (the upstream has not been used). */
    private void refuse(Refusal refusal) {
        finishWithRefusal(refusal, true);
    }

    private void finishWithRefusal(Refusal refusal, boolean tellClient) {
        moveTo(REFUSING);
        input.release();
        Channel ch = ctx.channel();
        ch.config().setAutoRead(false);
        if (upstream != null) upstream.close();
        engine.sessions().refused(session, refusal, "refused: " + refusal.reason().code());
        if (tellClient && ch.isActive()) {
            ErrorResponse error = ErrorResponse.fatal(refusal.sqlState(), refusal.message(), refusal.detail(), refusal.hint());
            ch.writeAndFlush(error.encode(ch.alloc())).addListener(ChannelFutureListener.CLOSE);
            // A client stuck in its TLS handshake never lets the error out: do not wait for it forever.
            ch.eventLoop().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            ch.close();
        }
    }

    /** The client connection is gone: end the record, release the upstream. */
    private void closed() {
        StartupPhase was = phase;
        if (was == CLOSED) return;
        moveTo(CLOSED);
        if (was == RELAYING) engine.cancelKeys().forget(session.id());
        else if (upstream != null) upstream.close();
        engine.sessions().ended(session, was == RELAYING ? ending.decide() : end != null ? end
                : SessionEnd.of(Cause.CLIENT_CLOSED, was.unfinished() ? "client closed the connection during startup"
                        : "client closed the connection"));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            // The client finished sending. What it sent may still be a whole startup phase
            // (PostgreSQL answers such a client too), and part of it may still wait in the socket.
            input.ended();
        } else if (evt instanceof ChannelInputShutdownReadComplete) {
            input.drained();
            if (phase != AWAITING_ADMISSION) process();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        input.release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        input.release();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof SSLException || cause.getCause() instanceof SSLException || cause instanceof java.io.IOException)) {
            // not the client's doing: a bug, whose trace belongs in the log (the client is told "internal error")
            dev.verifull.logging.Log.of(ClientStartupHandler.class, config.name()).error("internal error in a session's startup", cause);
        }
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException ssl) {
            clientTlsFailed(ssl);
        } else if (cause instanceof SSLException ssl) {
            clientTlsFailed(ssl);
        } else if (cause instanceof java.io.IOException io) {
            // Connection reset and the like: the client is gone.
            end = SessionEnd.of(Cause.CLIENT_CLOSED,
                    "connection error: " + (io.getMessage() != null ? io.getMessage() : io.getClass().getSimpleName()));
            ctx.close();
        } else if (phase.unfinished()) {
            finishWithRefusal(StartupRefusals.internalError(cause), true);
        } else {
            end = SessionEnd.of(Cause.INTERNAL_ERROR, "internal error: " + cause);
            ctx.close();
        }
    }
}
