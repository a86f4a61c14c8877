package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.netty.channel.SelectStrategy;

class BusyPollSelectStrategyTest {
    @Test
    void trafficThatArrivesWhilePollingIsHandledWithoutSleeping() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        int strategy = new BusyPollSelectStrategy(5_000_000_000L).calculateStrategy(() -> polls.incrementAndGet() < 100 ? 0 : 2, false);
        assertEquals(2, strategy, "the ready count goes back to the loop, which processes the channels");
        assertEquals(100, polls.get());
    }

    @Test
    void withoutTrafficTheLoopSleepsAfterThePollTime() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        long start = System.nanoTime();
        int strategy = new BusyPollSelectStrategy(2_000_000).calculateStrategy(() -> {
            polls.incrementAndGet();
            return 0;
        }, false);
        assertEquals(SelectStrategy.SELECT, strategy);
        assertTrue(System.nanoTime() - start >= 2_000_000, "polled for the whole time");
        assertTrue(polls.get() > 1);
    }

    @Test
    void pendingTasksGetOneLookAtTheSelectorAndNoPolling() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        int strategy = new BusyPollSelectStrategy(5_000_000_000L).calculateStrategy(() -> {
            polls.incrementAndGet();
            return 0;
        }, true);
        assertEquals(0, strategy, "0 ready: the loop goes on to its tasks");
        assertEquals(1, polls.get());
    }
}
