package dev.verifull.engine.pg;

import java.util.function.BiConsumer;

import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.EngineContext;
import dev.verifull.engine.Refusal;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.Session;
import dev.verifull.tls.NegotiatedTls;
import dev.verifull.tls.UpstreamDiagnosis;
import dev.verifull.upstream.UpstreamVerifier;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * The session's connection to the upstream server, opened by {@link UpstreamVerifier}: TCP
 * connect, SSLRequest/'S' (or direct TLS), then a TLS handshake verified against the configured
 * trust and name. It becomes "ready" only when verification succeeded; nothing from the client is
 * written to it before that.
 */
final class UpstreamLeg implements UpstreamVerifier.Listener {
    private final EngineContext engine;
    private final EngineConfig config;
    private Session session;
    private NegotiatedTls negotiated;
    private UpstreamDiagnosis diagnosis;
    private final EventLoop loop;
    private final Promise<Channel> ready;
    private UpstreamVerifier verifier;
    /** When {@link #connect} began, for the upstream observers. */
    private long connectStarted;
    /**
     * Gives back a speculative leg's permit, once: when a session claims the leg, or when its
     * connection has closed (not when closing starts, so a new speculative leg never overlaps it).
     */
    private Runnable permit;
    /** The upstream trust's generation when the leg was made (its TLS is of that one or a newer). */
    private final long trustGeneration;

    /** @param session null for a warm leg made ahead of any client; see {@link #attach}. */
    UpstreamLeg(EngineContext engine, Session session, EventLoop loop) {
        this.engine = engine;
        this.config = engine.config();
        this.session = session;
        this.loop = loop;
        this.ready = loop.newPromise();
        this.trustGeneration = config.upstreamTls().generation();
    }

    long trustGeneration() {
        return trustGeneration;
    }

    /** Starts connecting, counted in {@code counter} until it fails or its connection closes; on the loop. */
    void connect(UpstreamCounter counter) {
        counter.opening();
        connectStarted = System.nanoTime();
        ready.addListener((Future<Channel> f) -> {
            if (f.isSuccess()) {
                f.getNow().closeFuture().addListener(closed -> {
                    counter.closed();
                    releasePermit();
                });
            } else {
                counter.closed();
                releasePermit();
            }
        });
        verifier = UpstreamVerifier.connect(config.upstreamTarget(), engine.transport().connection(loop),
                engine.blockingExecutor(), this);
    }

    @Override
    public void verified(Channel ch, SslHandler tls) {
        if (ready.isDone()) return;
        engine.sessions().upstreamAttempt(null, System.nanoTime() - connectStarted);
        negotiated = tls != null ? NegotiatedTls.of(tls) : null;
        if (session != null) recordTls();
        // Quiet until the client's StartupMessage is forwarded; the relay turns reading back on.
        ch.config().setAutoRead(false);
        ready.trySuccess(ch);
    }

    @Override
    public void failed(UpstreamDiagnosis diagnosis) {
        this.diagnosis = diagnosis;
        engine.sessions().upstreamAttempt(diagnosis.kind(), System.nanoTime() - connectStarted);
        if (session != null) recordFailure();
        fail(Refusal.upstream(diagnosis, config.upstreamEndpoint()));
    }

    /** Gives a warm leg to the session that will use it. */
    void attach(Session owner) {
        session = owner;
        if (negotiated != null) recordTls();
        if (diagnosis != null) recordFailure();
    }

    /** Made speculative: {@code release} runs once, when the leg is claimed or its connection closed. */
    void speculative(Runnable release) {
        permit = release;
    }

    /** The session's StartupMessage arrived: the leg is its upstream now, no longer speculative. */
    UpstreamLeg claim() {
        releasePermit();
        return this;
    }

    private void releasePermit() {
        Runnable p = permit;
        permit = null;
        if (p != null) p.run();
    }

    private void recordTls() {
        if (negotiated == null) return;
        session.upstreamTls(negotiated.protocol(), negotiated.cipherSuite(),
                negotiated.peer() != null ? negotiated.peer().subject() : null,
                negotiated.peer() != null ? negotiated.peer().sha256Fingerprint() : null);
    }

    /** What the server said before TLS goes to the record (for the audit log), never to the client. */
    private void recordFailure() {
        if (diagnosis.unauthenticatedServerText() != null) {
            session.upstreamUnauthenticatedError(diagnosis.unauthenticatedServerText());
        }
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
        if (ready.tryFailure(new RefusalException(refusal)) && verifier != null) verifier.close();
    }

    /** Calls back on the event loop once: with the verified channel, or with the refusal. */
    void whenReady(BiConsumer<Channel, Refusal> callback) {
        ready.addListener((Future<Channel> f) -> {
            if (f.isSuccess()) callback.accept(f.getNow(), null);
            else if (f.cause() instanceof RefusalException r) callback.accept(null, r.refusal);
            else callback.accept(null, unexpected(f.cause()));
        });
    }

    /** Releases the upstream connection (client gone, refused, or session over). */
    void close() {
        ready.tryFailure(new RefusalException(Refusal.of(RefusalReason.UPSTREAM_UNREACHABLE, "the client went away", null)));
        if (verifier != null) verifier.close();
    }

    private Refusal unexpected(Throwable cause) {
        return Refusal.of(RefusalReason.UPSTREAM_UNREACHABLE,
                "the connection to the upstream server " + config.upstreamEndpoint() + " failed ("
                        + UpstreamVerifier.describe(cause) + ")",
                "Check the server and the network path; see the Verifull log for details.");
    }

    static final class RefusalException extends Exception {
        final transient Refusal refusal;

        RefusalException(Refusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }
    }
}
