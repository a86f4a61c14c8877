package dev.verifull.engine.pg;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.EngineContext;
import dev.verifull.engine.Refusal;
import dev.verifull.engine.Session;
import dev.verifull.tls.NegotiatedTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The session's connection to the upstream server: TCP connect, SSLRequest/'S' (or direct TLS),
 * then a TLS handshake verified against the configured trust and name. It becomes "ready" only
 * when verification succeeded; nothing from the client is written to it before that.
 */
final class UpstreamLeg {
    private final EngineContext engine;
    private final EngineConfig config;
    private Session session;
    private NegotiatedTls negotiated;
    private final EventLoop loop;
    private final Promise<Channel> ready;
    private Channel channel;
    private ScheduledFuture<?> deadline;
    private boolean closed;

    /** @param session null for a warm leg made ahead of any client; see {@link #attach}. */
    UpstreamLeg(EngineContext engine, Session session, EventLoop loop) {
        this.engine = engine;
        this.config = engine.config();
        this.session = session;
        this.loop = loop;
        this.ready = loop.newPromise();
    }

    /** Starts connecting; runs on the session's event loop. */
    void connect() {
        long budget = config.upstreamConnectTimeout().toMillis() + config.handshakeTimeout().toMillis();
        deadline = loop.schedule(() -> fail(UpstreamRefusals.timedOut(config, budget)), budget, TimeUnit.MILLISECONDS);
        CompletableFuture.supplyAsync(this::resolve, engine.blockingExecutor())
                .whenComplete((address, error) -> loop.execute(() -> {
                    if (closed) return;
                    if (error != null) fail(UpstreamRefusals.unresolvable(config, error.getCause() != null ? error.getCause() : error));
                    else connectTo(address);
                }));
    }

    private InetSocketAddress resolve() {
        try {
            return new InetSocketAddress(InetAddress.getByName(config.upstreamHost()), config.upstreamPort());
        } catch (UnknownHostException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private void connectTo(InetSocketAddress address) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(engine.transport().socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.upstreamConnectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (config.upstreamDirectTls()) {
                            startTls(ch, true);
                        } else {
                            ch.pipeline().addLast(UpstreamTlsRequest.NAME, new UpstreamTlsRequest(UpstreamLeg.this));
                        }
                        // Last in line: handshake errors are reported through the handshake future,
                        // so they must not also reach the pipeline's tail as "unhandled".
                        ch.pipeline().addLast(UpstreamIdleWatch.NAME, new UpstreamIdleWatch());
                    }
                });
        ChannelFuture f = b.connect(address);
        channel = f.channel();
        f.addListener(x -> {
            if (!x.isSuccess()) fail(UpstreamRefusals.unreachable(config, x.cause()));
        });
    }

    /** Adds the verifying TLS handler at the front of the pipeline; the handshake starts at once. */
    void startTls(Channel ch, boolean direct) {
        SslHandler tls = config.upstreamTls().newHandler(ch.alloc(), config.verifiedName(), config.upstreamPort(), direct);
        tls.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
        ch.pipeline().addFirst("tls", tls);
        tls.handshakeFuture().addListener((Future<Channel> hs) -> {
            if (hs.isSuccess()) verified(ch, tls);
            else fail(UpstreamRefusals.tlsFailed(config, hs.cause(), tls.engine()));
        });
    }

    private void verified(Channel ch, SslHandler tls) {
        if (ready.isDone()) return;
        negotiated = NegotiatedTls.of(tls);
        if (session != null) recordTls();
        // Quiet until the client's StartupMessage is forwarded; the relay turns reading back on.
        ch.config().setAutoRead(false);
        if (deadline != null) deadline.cancel(false);
        ready.trySuccess(ch);
    }

    /** Gives a warm leg to the session that will use it. */
    void attach(Session owner) {
        session = owner;
        if (negotiated != null) recordTls();
    }

    private void recordTls() {
        session.upstreamTls(negotiated.protocol(), negotiated.cipherSuite(),
                negotiated.peer() != null ? negotiated.peer().subject() : null,
                negotiated.peer() != null ? negotiated.peer().sha256Fingerprint() : null);
    }

    /** True while verified and still connected: only such a warm leg may be handed out. */
    boolean usable() {
        return ready.isSuccess() && ready.getNow().isActive();
    }

    EventLoop loop() {
        return loop;
    }

    /** Fails the leg with a refusal for the client; closes the upstream connection. */
    void fail(Refusal refusal) {
        if (deadline != null) deadline.cancel(false);
        if (ready.tryFailure(new RefusalException(refusal)) && channel != null) channel.close();
    }

    /** Calls back on the event loop once: with the verified channel, or with the refusal. */
    void whenReady(BiConsumer<Channel, Refusal> callback) {
        ready.addListener((Future<Channel> f) -> {
            if (f.isSuccess()) callback.accept(f.getNow(), null);
            else if (f.cause() instanceof RefusalException r) callback.accept(null, r.refusal);
            else callback.accept(null, UpstreamRefusals.unexpected(config, f.cause()));
        });
    }

    EngineConfig config() {
        return config;
    }


    /** Releases the upstream connection (client gone, refused, or session over). */
    void close() {
        closed = true;
        if (deadline != null) deadline.cancel(false);
        ready.tryFailure(new RefusalException(UpstreamRefusals.clientGone(config)));
        if (channel != null) channel.close();
    }

    static final class RefusalException extends Exception {
        final transient Refusal refusal;

        RefusalException(Refusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }
    }
}
