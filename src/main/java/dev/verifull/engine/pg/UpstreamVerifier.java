package dev.verifull.engine.pg;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.verifull.engine.UpstreamTarget;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One attempt to open a verified TLS connection to the upstream: name lookup, TCP connect,
 * SSLRequest and a lone 'S' (or direct TLS with ALPN), then a handshake verified against the
 * target's trust and name, all within the target's deadline. It reports once, on its event loop:
 * the verified channel, or an {@link UpstreamFailure} (and closes the connection). Each session's
 * upstream leg and "Test upstream" use it, so both connect and explain failures alike.
 */
public final class UpstreamVerifier {

    /** Hears the attempt's one outcome, on its event loop. */
    public interface Listener {
        /** The caller owns the verified channel now; {@code tls} is first in its pipeline, auto-read is on. */
        void verified(Channel channel, SslHandler tls);

        /** The connection, if any, is closed already. */
        void failed(UpstreamFailure failure);
    }

    private final UpstreamTarget target;
    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final Listener listener;
    private volatile ScheduledFuture<?> deadline;
    private Channel channel;
    private boolean done;

    private UpstreamVerifier(UpstreamTarget target, EventLoop loop, Class<? extends Channel> channelType, Listener listener) {
        this.target = target;
        this.loop = loop;
        this.channelType = channelType;
        this.listener = listener;
    }

    /**
     * Starts the attempt; may be called from any thread. The name is looked up on {@code lookups}
     * (the system resolver blocks), everything else happens on {@code loop}.
     */
    public static UpstreamVerifier connect(UpstreamTarget target, EventLoop loop, Class<? extends Channel> channelType,
                                           Executor lookups, Listener listener) {
        UpstreamVerifier attempt = new UpstreamVerifier(target, loop, channelType, listener);
        attempt.deadline = loop.schedule(() -> attempt.fail(UpstreamFailures.timedOut(target)),
                target.deadline().toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture.supplyAsync(attempt::resolve, lookups)
                .whenComplete((address, error) -> loop.execute(() -> {
                    if (attempt.done) return;
                    if (error != null) attempt.fail(UpstreamFailures.unresolvable(target, error.getCause() != null ? error.getCause() : error));
                    else attempt.connectTo(address);
                }));
        return attempt;
    }

    private InetSocketAddress resolve() {
        try {
            return new InetSocketAddress(InetAddress.getByName(target.host()), target.port());
        } catch (UnknownHostException e) {
            throw new CompletionException(e);
        }
    }

    private void connectTo(InetSocketAddress address) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, target.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (target.directTls()) {
                            startTls(ch, true);
                        } else {
                            ch.pipeline().addLast(UpstreamTlsRequest.NAME, new UpstreamTlsRequest(UpstreamVerifier.this));
                        }
                        // Last in line: handshake errors are reported through the handshake future,
                        // so they must not also reach the pipeline's tail as "unhandled".
                        ch.pipeline().addLast(UpstreamIdleWatch.NAME, new UpstreamIdleWatch());
                    }
                });
        ChannelFuture f = b.connect(address);
        channel = f.channel();
        f.addListener(x -> {
            if (!x.isSuccess()) fail(UpstreamFailures.unreachable(target, x.cause()));
        });
    }

    /** Adds the verifying TLS handler at the front of the pipeline; the handshake starts at once. */
    void startTls(Channel ch, boolean direct) {
        SslHandler tls = target.tls().newHandler(ch.alloc(), target.verifiedName(), target.port(), direct);
        tls.setHandshakeTimeoutMillis(target.handshakeTimeout().toMillis());
        ch.pipeline().addFirst("tls", tls);
        tls.handshakeFuture().addListener((Future<Channel> hs) -> {
            if (hs.isSuccess()) verified(ch, tls);
            else fail(UpstreamFailures.tlsFailed(target, hs.cause(), tls.engine()));
        });
    }

    private void verified(Channel ch, SslHandler tls) {
        if (!finish()) return;
        listener.verified(ch, tls);
    }

    /** Reports the failure, unless the attempt is over; closes the connection. */
    void fail(UpstreamFailure failure) {
        if (!finish()) return;
        if (channel != null) channel.close();
        listener.failed(failure);
    }

    private boolean finish() {
        if (done) return false;
        done = true;
        ScheduledFuture<?> d = deadline;
        if (d != null) d.cancel(false);
        return true;
    }

    UpstreamTarget target() {
        return target;
    }

    /** Ends the attempt without a report and closes the connection, verified or not; on the loop. */
    void close() {
        finish();
        if (channel != null) channel.close();
    }
}
