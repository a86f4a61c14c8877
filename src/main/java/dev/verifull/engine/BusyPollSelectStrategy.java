package dev.verifull.engine;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;

/**
 * Polls the selector for up to {@code pollNanos} before blocking in it. A proxy sits between two
 * parties that each answer within tens of microseconds; catching the reply while still awake
 * saves the event loop's sleep and wake-up on every message, which is most of what a proxy adds
 * to one client's round trip. The price is a processor kept busy while traffic flows, which is
 * why it is opt-in ({@code serve --busy-poll-us}); polling ends after {@code pollNanos} without
 * traffic, so an idle engine still costs nothing.
 */
final class BusyPollSelectStrategy implements SelectStrategy {
    private final long pollNanos;

    BusyPollSelectStrategy(long pollNanos) {
        this.pollNanos = pollNanos;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) return selectNow.get();
        long start = System.nanoTime();
        do {
            int ready = selectNow.get();
            if (ready > 0) return ready;
            Thread.onSpinWait();
        } while (System.nanoTime() - start < pollNanos);
        return SelectStrategy.SELECT;
    }
}
