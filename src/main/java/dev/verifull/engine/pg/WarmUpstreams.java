package dev.verifull.engine.pg;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.verifull.engine.EngineContext;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;

/**
 * Upstream connections that are connected and verified (TCP, TLS, chain and name checked) but
 * not yet used, so a new client skips those round trips. Kept per event loop, so a client and its
 * upstream still share one loop; each is replaced before the server's authentication timeout
 * would end it. Verification is exactly the same as for a connection made on demand: a leg only
 * enters the pool once verified, and nothing is ever sent on it before a client's
 * StartupMessage. When all are taken, a client gets the oldest one still connecting, which is
 * closer to ready than a connection started for it.
 */
final class WarmUpstreams {
    /** Below PostgreSQL's default authentication_timeout (60 s), with room for slow clients. */
    static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(25);
    private static final long RETRY_AFTER_FAILURE_MILLIS = 5000;

    private final EngineContext engine;
    private final UpstreamCounter counter;
    private final int perLoop;
    private final long maxAgeMillis;
    private final Map<EventLoop, Deque<UpstreamLeg>> pools = new ConcurrentHashMap<>();
    /** Legs still connecting or verifying, oldest first; touched only on their loop. */
    private final Map<EventLoop, Deque<UpstreamLeg>> connecting = new ConcurrentHashMap<>();
    private volatile boolean closed;

    WarmUpstreams(EngineContext engine, UpstreamCounter counter, int perLoop, Duration maxAge) {
        this.engine = engine;
        this.counter = counter;
        this.perLoop = perLoop;
        this.maxAgeMillis = maxAge.toMillis();
    }

    /** Fills every event loop's pool. */
    void start() {
        for (EventExecutor e : engine.transport().group()) {
            EventLoop loop = (EventLoop) e;
            loop.execute(() -> {
                pools.putIfAbsent(loop, new ArrayDeque<>());
                connecting.putIfAbsent(loop, new ArrayDeque<>());
                for (int i = 0; i < perLoop; i++) addOne(loop);
            });
        }
    }

    /**
     * A verified, connected leg on this loop, else the oldest one still on its way (the caller
     * waits for it as for its own), else null; runs on the loop. A replacement is started.
     */
    UpstreamLeg take(EventLoop loop) {
        Deque<UpstreamLeg> pool = pools.get(loop);
        if (pool == null || closed) return null;
        // Changed trust files apply to this client at once: legs verified under older trust are dropped.
        long trust = engine.config().upstreamTls().checkForChanges();
        UpstreamLeg leg;
        while ((leg = pool.pollFirst()) != null) {
            if (leg.usable() && leg.trustGeneration() == trust) {
                addOne(loop);
                return leg;
            }
            leg.close();
            addOne(loop);
        }
        leg = connecting.get(loop).pollFirst();
        if (leg != null) addOne(loop);
        if (leg != null && leg.trustGeneration() != trust) {
            leg.close();
            return null;
        }
        return leg;
    }

    private void addOne(EventLoop loop) {
        if (closed) return;
        UpstreamLeg leg = new UpstreamLeg(engine, null, loop);
        Deque<UpstreamLeg> inFlight = connecting.get(loop);
        inFlight.addLast(leg);
        leg.connect(counter);
        leg.whenReady((channel, refusal) -> {
            if (!inFlight.remove(leg)) return;   // a client took it while it was connecting
            Deque<UpstreamLeg> pool = pools.get(loop);
            if (closed || pool == null) {
                leg.close();
            } else if (refusal != null) {
                // The upstream is down or failing verification: clients will see why; retry calmly.
                loop.schedule(() -> addOne(loop), RETRY_AFTER_FAILURE_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                pool.addLast(leg);
                channel.closeFuture().addListener(f -> {
                    if (pool.remove(leg)) addOne(loop);
                });
                loop.schedule(() -> {
                    if (pool.remove(leg)) {
                        leg.close();
                        addOne(loop);
                    }
                }, maxAgeMillis, TimeUnit.MILLISECONDS);
            }
        });
    }

    void close() {
        closed = true;
        pools.forEach((loop, pool) -> loop.execute(() -> {
            UpstreamLeg leg;
            while ((leg = pool.pollFirst()) != null) leg.close();
            Deque<UpstreamLeg> inFlight = connecting.get(loop);
            while ((leg = inFlight.pollFirst()) != null) leg.close();
        }));
    }
}
