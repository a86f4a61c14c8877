package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;

class BusyPollIoHandlerTest {
    /** Records whether each run was allowed to block; reports I/O from the given run on. */
    private static final class Transport implements IoHandler {
        final List<Boolean> runs = new ArrayList<>();
        final int ioFromRun;

        Transport(int ioFromRun) {
            this.ioFromRun = ioFromRun;
        }

        @Override
        public int run(IoHandlerContext context) {
            runs.add(context.canBlock());
            return runs.size() >= ioFromRun ? 3 : 0;
        }

        @Override
        public IoRegistration register(IoHandle handle) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void wakeup() {}

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return true;
        }
    }

    private static IoHandlerContext loop(BooleanSupplier canBlock) {
        return new IoHandlerContext() {
            @Override
            public boolean canBlock() {
                return canBlock.getAsBoolean();
            }

            @Override
            public long delayNanos(long currentTimeNanos) {
                return 1_000_000_000L;
            }

            @Override
            public long deadlineNanos() {
                return -1;
            }
        };
    }

    @Test
    void ioThatArrivesWhilePollingIsHandledWithoutSleeping() {
        Transport t = new Transport(100);
        int handled = new BusyPollIoHandler(t, 5_000_000_000L).run(loop(() -> true));
        assertEquals(3, handled);
        assertEquals(100, t.runs.size());
        assertTrue(t.runs.stream().noneMatch(b -> b), "every look was without waiting");
    }

    @Test
    void withoutIoTheLoopSleepsAfterThePollTime() {
        Transport t = new Transport(Integer.MAX_VALUE);
        long start = System.nanoTime();
        new BusyPollIoHandler(t, 2_000_000).run(loop(() -> true));
        assertTrue(System.nanoTime() - start >= 2_000_000, "looked for the whole poll time");
        // How many looks fit in 2 ms depends on the machine's load; that they never wait does not.
        assertTrue(t.runs.size() >= 2, "at least one look, then the run that may sleep");
        assertTrue(t.runs.subList(0, t.runs.size() - 1).stream().noneMatch(b -> b), "every look before it was without waiting");
        assertEquals(true, t.runs.get(t.runs.size() - 1), "then one run that may sleep");
    }

    @Test
    void aLoopWithTasksDueRunsOnceWithoutPolling() {
        Transport t = new Transport(Integer.MAX_VALUE);
        new BusyPollIoHandler(t, 5_000_000_000L).run(loop(() -> false));
        assertEquals(List.of(false), t.runs);
    }

    @Test
    void aTaskArrivingWhilePollingEndsThePoll() {
        Transport t = new Transport(Integer.MAX_VALUE);
        int[] asked = {0};
        long start = System.nanoTime();
        new BusyPollIoHandler(t, 5_000_000_000L).run(loop(() -> ++asked[0] < 5));
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "did not poll for the full 5 s");
        assertEquals(false, t.runs.get(t.runs.size() - 1), "the last run does not sleep: a task waits");
    }
}
