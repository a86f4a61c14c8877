package dev.verifull.manager;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import dev.verifull.manager.UpstreamTestResult.Failure;
import dev.verifull.tls.CertificateSummary;
import dev.verifull.tls.NegotiatedTls;
import dev.verifull.tls.UpstreamTls;
import dev.verifull.wire.ErrorResponse;
import dev.verifull.wire.ProtocolViolationException;
import dev.verifull.wire.SslRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One test connection's handler, on its event loop: sends the SSLRequest (or starts direct TLS),
 * reads the one-byte answer with the engine's rules (only a lone 'S' leads to TLS), runs the
 * verified handshake and reports once. Whatever happens, the connection is closed afterwards.
 */
final class UpstreamProbe extends ChannelInboundHandlerAdapter {
    private static final int MAX_ERROR_BYTES = 8192;

    private final UpstreamTls tls;
    private final UpstreamTestFailures failures;
    private final boolean directTls;
    private final int port;
    private final long timeoutMillis;
    private final long started;
    private final CompletableFuture<UpstreamTestResult> outcome;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> deadline;
    private ByteBuf errorBytes;
    private boolean tlsStarted;

    UpstreamProbe(UpstreamTls tls, UpstreamTestFailures failures, boolean directTls, int port, Duration timeout,
                  long started, CompletableFuture<UpstreamTestResult> outcome) {
        this.tls = tls;
        this.failures = failures;
        this.directTls = directTls;
        this.port = port;
        this.timeoutMillis = timeout.toMillis();
        this.started = started;
        this.outcome = outcome;
    }

    /** Reports a failed connect; called right after {@code connect()}. */
    void watch(ChannelFuture connect) {
        connect.addListener(f -> {
            if (!f.isSuccess()) fail(failures.unreachable(f.cause(), timeoutMillis));
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        deadline = ctx.executor().schedule(() -> fail(failures.timedOut(timeoutMillis)), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (directTls) startTls(ctx);
        else ctx.writeAndFlush(SslRequest.encode(ctx.alloc()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (tlsStarted || outcome.isDone() || !in.isReadable()) return; // nothing is expected after the handshake
            if (errorBytes != null) {
                collectError(in);
                return;
            }
            byte answer = in.getByte(in.readerIndex());
            switch (answer) {
                case 'S' -> {
                    if (in.readableBytes() > 1) fail(failures.dataAfterTlsAnswer());
                    else startTls(ctx);
                }
                case 'N' -> fail(failures.noTls());
                case 'E' -> {
                    errorBytes = ctx.alloc().buffer();
                    collectError(in);
                }
                default -> fail(failures.notPostgres(answer));
            }
        } finally {
            in.release();
        }
    }

    private void collectError(ByteBuf in) {
        errorBytes.writeBytes(in, Math.min(in.readableBytes(), MAX_ERROR_BYTES - errorBytes.readableBytes()));
        if (errorBytes.readableBytes() < 5) return;
        int length = errorBytes.getInt(errorBytes.readerIndex() + 1);
        if (length < 4 || length + 1 > MAX_ERROR_BYTES) {
            fail(failures.notPostgres((byte) 'E'));
        } else if (errorBytes.readableBytes() >= length + 1) {
            try {
                fail(failures.serverError(ErrorResponse.decodeFrame(errorBytes)));
            } catch (ProtocolViolationException e) {
                fail(failures.notPostgres((byte) 'E'));
            }
        }
    }

    private void startTls(ChannelHandlerContext ctx) {
        tlsStarted = true;
        SslHandler handler = tls.newHandler(ctx.alloc(), failures.verifiedName(), port, directTls);
        handler.setHandshakeTimeoutMillis(0); // the probe's own deadline applies, and reports a time-out as such
        ctx.pipeline().addFirst("tls", handler);
        handler.handshakeFuture().addListener((Future<Channel> hs) -> {
            if (hs.isSuccess()) succeed(handler);
            else fail(failures.tls(tls.classify(hs.cause(), handler.engine()), tls));
        });
    }

    private void succeed(SslHandler handler) {
        NegotiatedTls negotiated = NegotiatedTls.of(handler);
        finish(new UpstreamTestResult(true, failures.endpoint(), failures.verifiedName(), tls.trustDescription(),
                negotiated.protocol(), negotiated.cipherSuite(), negotiated.alpn(), chain(handler.engine().getSession()),
                UpstreamTester.elapsedMillis(started), null));
    }

    private static List<CertificateSummary> chain(SSLSession session) {
        List<CertificateSummary> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) chain.add(CertificateSummary.of(x));
            }
        } catch (SSLPeerUnverifiedException e) {
            // cannot happen after a verified handshake; an empty chain says it anyway
        }
        return chain;
    }

    private void fail(Failure failure) {
        finish(UpstreamTester.failed(failures, tls.trustDescription(), started, failure));
    }

    private void finish(UpstreamTestResult result) {
        if (!outcome.complete(result)) return;
        if (deadline != null) deadline.cancel(false);
        if (ctx != null) ctx.channel().close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // After TLS started, the handshake future reports a close; before, this is the only sign.
        if (!tlsStarted) fail(failures.closedBeforeTls());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!tlsStarted) fail(failures.unreachable(cause, timeoutMillis));
        // with TLS, the handshake future carries the failure; later errors do not matter: we close
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (errorBytes != null) {
            errorBytes.release();
            errorBytes = null;
        }
        if (deadline != null) deadline.cancel(false);
    }
}
