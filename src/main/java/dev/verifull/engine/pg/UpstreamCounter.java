package dev.verifull.engine.pg;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's connections to the upstream server, warm, speculative, for sessions and for
 * cancel requests alike: how many are open now (each holds a server backend) and how many were
 * opened. Every leg that connects is counted from its start until it fails or its connection closes.
 */
final class UpstreamCounter {
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong opened = new AtomicLong();

    void opening() {
        open.incrementAndGet();
        opened.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    long opened() {
        return opened.get();
    }
}
