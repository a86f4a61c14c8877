package dev.verifull.engine.pg;

import java.util.concurrent.atomic.AtomicInteger;

import dev.verifull.engine.EngineContext;
import dev.verifull.engine.EngineLimits;
import dev.verifull.engine.Session;
import io.netty.channel.EventLoop;

/**
 * The engine's upstream legs: each a new verified connection (counted), a warm one, or, before a
 * client's StartupMessage, one of at most {@link EngineLimits#MAX_SPECULATIVE_UPSTREAMS}
 * speculative ones in the whole engine, so idle client sockets cannot multiply server backends.
 */
final class EngineUpstreams implements UpstreamSource {
    private final EngineContext engine;
    private final UpstreamCounter counter;
    private final WarmUpstreams warm;
    private final int maxSpeculative;
    private final AtomicInteger speculative = new AtomicInteger();

    /** @param warm the engine's warm pool, or null when it keeps none */
    EngineUpstreams(EngineContext engine, UpstreamCounter counter, WarmUpstreams warm, int maxSpeculative) {
        this.engine = engine;
        this.counter = counter;
        this.warm = warm;
        this.maxSpeculative = maxSpeculative;
    }

    @Override
    public UpstreamLeg speculative(Session session, EventLoop loop) {
        if (warm != null) return null; // a warm leg, taken at the StartupMessage, saves the round trips already
        if (speculative.incrementAndGet() > maxSpeculative) {
            speculative.decrementAndGet();
            return null;
        }
        UpstreamLeg leg = new UpstreamLeg(engine, session, loop);
        leg.speculative(speculative::decrementAndGet);
        leg.connect(counter);
        return leg;
    }

    @Override
    public UpstreamLeg forSession(Session session, EventLoop loop) {
        UpstreamLeg leg = warm != null ? warm.take(loop) : null;
        if (leg == null) return connect(session, loop);
        leg.attach(session);
        return leg;
    }

    @Override
    public UpstreamLeg forCancel(Session session, EventLoop loop) {
        return connect(session, loop);
    }

    private UpstreamLeg connect(Session session, EventLoop loop) {
        UpstreamLeg leg = new UpstreamLeg(engine, session, loop);
        leg.connect(counter);
        return leg;
    }
}
