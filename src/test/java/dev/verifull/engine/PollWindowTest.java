package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PollWindowTest {
    private static final long MAX = 50_000;

    @Test
    void startsAtTheLongestWindow() {
        assertEquals(MAX, new PollWindow(MAX).nanos());
    }

    @Test
    void longSleepsShrinkItToNothing() {
        PollWindow w = new PollWindow(MAX);
        w.slept(5_000_000, true);
        assertEquals(MAX / 2, w.nanos());
        w.slept(5_000_000, false);
        w.slept(5_000_000, true);
        assertEquals(MAX / 8, w.nanos());
        w.slept(5_000_000, true);
        assertEquals(0, w.nanos(), "below the smallest useful window the loop sleeps at once");
        w.slept(5_000_000, true);
        assertEquals(0, w.nanos());
    }

    @Test
    void ioSoonAfterTheWindowClosedGrowsItBackToTheLongest() {
        PollWindow w = new PollWindow(MAX);
        for (int i = 0; i < 6; i++) w.slept(10_000_000, true);
        assertEquals(0, w.nanos());
        w.slept(20_000, true);
        assertEquals(PollWindow.GROW_FROM_NANOS, w.nanos());
        w.slept(20_000, true);
        w.slept(20_000, true);
        w.slept(20_000, true);
        assertEquals(40_000, w.nanos());
        w.slept(20_000, true);
        assertEquals(MAX, w.nanos(), "never beyond what was configured");
    }

    @Test
    void aShortSleepEndedByATaskTeachesNothing() {
        PollWindow w = new PollWindow(MAX);
        w.slept(10_000_000, true);
        w.slept(10_000, false);
        assertEquals(MAX / 2, w.nanos());
    }

    @Test
    void aWindowMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new PollWindow(0));
    }
}
