package dev.verifull.upstream;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.verifull.tls.UpstreamDiagnosis.Kind;
import dev.verifull.tls.UpstreamDiagnosis;
import dev.verifull.tls.UpstreamTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One attempt to open a verified TLS connection to the upstream: name lookup, TCP connect,
 * SSLRequest and a lone 'S' (or direct TLS with ALPN), then a handshake verified against the
 * target's trust and name, all within the target's deadline. It reports once, on its event loop:
 * the verified channel, or an {@link UpstreamDiagnosis} (and closes the connection). Each session's
 * upstream leg and "Test upstream" use it, so both connect and explain failures alike.
 */
public final class UpstreamVerifier {
    /**
     * The handler on a verified channel until its new owner takes over: the owner removes it by
     * this name before adding its own (it keeps the handshake's errors from reaching the tail).
     */
    public static final String IDLE_WATCH = UpstreamIdleWatch.NAME;

    /** Hears the attempt's one outcome, on its event loop. */
    public interface Listener {
        /** The caller owns the verified channel now; {@code tls} is first in its pipeline, auto-read is on. */
        void verified(Channel channel, SslHandler tls);

        /** The connection, if any, is closed already. */
        void failed(UpstreamDiagnosis diagnosis);
    }

    private final UpstreamTarget target;
    private final EventLoop loop;
    private final Bootstrap connection;
    private final Listener listener;
    private volatile ScheduledFuture<?> deadline;
    private Channel channel;
    private boolean done;

    private UpstreamVerifier(UpstreamTarget target, Bootstrap connection, Listener listener) {
        this.target = target;
        this.loop = (EventLoop) connection.config().group();
        this.connection = connection;
        this.listener = listener;
    }

    /**
     * Starts the attempt; may be called from any thread. The name is looked up on {@code lookups}
     * (the system resolver blocks), everything else happens on the event loop of {@code connection}.
     *
     * @param connection its group (one event loop) and channel type set
     */
    public static UpstreamVerifier connect(UpstreamTarget target, Bootstrap connection, Executor lookups, Listener listener) {
        UpstreamVerifier attempt = new UpstreamVerifier(target, connection, listener);
        EventLoop loop = attempt.loop;
        attempt.deadline = loop.schedule(() -> attempt.fail(timedOut(target)),
                target.deadline().toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture.supplyAsync(attempt::resolve, lookups)
                .whenComplete((address, error) -> loop.execute(() -> {
                    if (attempt.done) return;
                    if (error != null) attempt.fail(unresolvable(target, error.getCause() != null ? error.getCause() : error));
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
        Bootstrap b = connection
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
            if (!x.isSuccess()) fail(unreachable(target, x.cause()));
        });
    }

    /** Adds the verifying TLS handler at the front of the pipeline; the handshake starts at once. */
    void startTls(Channel ch, boolean direct) {
        SslHandler tls = target.tls().newHandler(ch.alloc(), target.verifiedName(), target.port(), direct);
        tls.setHandshakeTimeoutMillis(target.handshakeTimeout().toMillis());
        ch.pipeline().addFirst("tls", tls);
        tls.handshakeFuture().addListener((Future<Channel> hs) -> {
            if (!hs.isSuccess()) {
                fail(target.tls().diagnose(hs.cause(), tls.engine(), direct));
            } else if (direct && !UpstreamTls.ALPN_POSTGRESQL.equals(tls.applicationProtocol())) {
                // As libpq 17+: without ALPN "postgresql" the handshake may have been with another
                // service, or a TLS terminator that does not speak PostgreSQL. Providers finish a
                // handshake in which the server selected nothing, so it is checked here.
                fail(UpstreamTls.alpnMismatch(tls.applicationProtocol()));
            } else {
                verified(ch, tls);
            }
        });
    }

    private void verified(Channel ch, SslHandler tls) {
        if (!finish()) return;
        listener.verified(ch, tls);
    }

    /** Reports the diagnosis, unless the attempt is over; closes the connection. */
    void fail(UpstreamDiagnosis diagnosis) {
        if (!finish()) return;
        if (channel != null) channel.close();
        listener.failed(diagnosis);
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
    public void close() {
        finish();
        if (channel != null) channel.close();
    }

    private static UpstreamDiagnosis unresolvable(UpstreamTarget t, Throwable cause) {
        return new UpstreamDiagnosis(Kind.UNRESOLVABLE,
                "cannot resolve the upstream host name " + t.host() + " (" + describe(cause) + ")", null,
                "Check the upstream host name in the profile and this machine's DNS.");
    }

    static UpstreamDiagnosis unreachable(UpstreamTarget t, Throwable cause) {
        String why = cause instanceof ConnectTimeoutException
                ? "no answer within " + seconds(t.connectTimeout().toMillis())
                : describe(cause);
        return new UpstreamDiagnosis(Kind.UNREACHABLE,
                "cannot reach the upstream server " + t.endpoint() + " (" + why + ")", null,
                "Check that the upstream host and port are right and that the server is running and reachable from this machine.");
    }

    private static UpstreamDiagnosis timedOut(UpstreamTarget t) {
        return new UpstreamDiagnosis(Kind.TIMED_OUT,
                "the upstream server " + t.endpoint() + " did not complete a verified TLS connection within "
                        + seconds(t.deadline().toMillis()), null,
                "Check that the upstream is a PostgreSQL server with TLS enabled and that the network path is not blocked.");
    }

    /** A connection error in a few words: {@code connection refused}, {@code unknown host}, the system's reason. */
    public static String describe(Throwable t) {
        if (t instanceof UnknownHostException) return "unknown host";
        if (t instanceof ClosedChannelException) return "connection closed";
        String m = t.getMessage();
        if ((t instanceof ConnectException || t instanceof NoRouteToHostException)
                && m != null && m.toLowerCase(Locale.ROOT).contains("refused")) {
            return "connection refused";
        }
        if (m == null || m.isBlank()) return t.getClass().getSimpleName();
        // Netty prefixes native errors with the syscall ("connect(..) failed: ..."): keep the reason.
        int colon = m.lastIndexOf(": ");
        return colon > 0 && m.startsWith("connect(") ? m.substring(colon + 2) : m;
    }

    /** {@code 10 s}, {@code 0.7 s}. */
    private static String seconds(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
