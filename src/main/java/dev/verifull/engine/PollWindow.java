package dev.verifull.engine;

/**
 * How long an event loop looks for traffic before it sleeps, adapted to what looking has been
 * worth lately (the idea of Linux's haltpoll governor). A sleep that ended with I/O soon after
 * the window closed means a longer window would have caught it without the sleep: the window
 * grows. A sleep that lasted longer than the longest window means traffic has paused (a person
 * reading results, a pool's idle connection): polling would only have burned the processor, so
 * the window shrinks, and after a few such pauses the loop sleeps at once. Traffic that flows
 * again grows it back within a few messages.
 *
 * <p>Not thread-safe: one per event loop, used only by its thread.
 */
final class PollWindow {
    /** The first window after it had shrunk to nothing: short, so sparse traffic costs little. */
    static final long GROW_FROM_NANOS = 5_000;

    private final long maxNanos;
    private long nanos;

    PollWindow(long maxNanos) {
        if (maxNanos <= 0) throw new IllegalArgumentException("poll window must be positive: " + maxNanos);
        this.maxNanos = maxNanos;
        this.nanos = maxNanos;
    }

    /** How long to look before sleeping now; 0 means sleep at once. */
    long nanos() {
        return nanos;
    }

    /**
     * Learns from one sleep.
     *
     * @param sleptNanos how long the loop slept
     * @param ioWoke     whether I/O ended the sleep (not a task or timer, which say nothing about traffic)
     */
    void slept(long sleptNanos, boolean ioWoke) {
        if (sleptNanos > maxNanos) {
            nanos /= 2;
            if (nanos < GROW_FROM_NANOS) nanos = 0;
        } else if (ioWoke) {
            nanos = Math.min(maxNanos, Math.max(GROW_FROM_NANOS, nanos * 2));
        }
    }
}
