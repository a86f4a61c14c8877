package dev.verifull.tailscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusWatcherTest {
    @TempDir
    Path dir;

    /** Waits for a status matching {@code wanted}; changes are promised within 5 s. */
    static TailscaleStatus awaitStatus(BlockingQueue<TailscaleStatus> seen, Predicate<TailscaleStatus> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            TailscaleStatus s = seen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (s != null && wanted.test(s)) return s;
        }
        throw new AssertionError("no matching status within 5 s");
    }

    @Test
    void noticesStoppedThenRunningThenNewAddresses() throws Exception {
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir).state("Stopped");
             LocalApiClient client = fake.client();
             StatusWatcher watcher = new StatusWatcher(client, FakeLocalApi.ADDRESS_RANGES)) {
            BlockingQueue<TailscaleStatus> seen = new LinkedBlockingQueue<>();
            watcher.addListener(seen::add);
            watcher.start();
            TailscaleStatus stopped = awaitStatus(seen, s -> true);
            assertEquals(BackendState.STOPPED, stopped.state());

            fake.state("Running");
            TailscaleStatus running = awaitStatus(seen, TailscaleStatus::running);
            assertEquals(List.of(InetAddress.getByName("127.0.0.2")), running.addresses());

            fake.selfAddresses("127.0.0.2", "127.0.0.9");
            TailscaleStatus moved = awaitStatus(seen, s -> s.addresses().size() == 2);
            assertEquals(InetAddress.getByName("127.0.0.9"), moved.addresses().get(1));
            assertEquals(moved, watcher.current().orElseThrow());

            // nothing changes: nobody is told anything (a few polls' worth of quiet)
            assertNull(seen.poll(2500, TimeUnit.MILLISECONDS));
        }
    }

    /**
     * Whatever the status answer says, only Tailscale's own ranges reach the listeners as this
     * machine's addresses: 0.0.0.0, a LAN address or loopback are passed on as ignored.
     */
    @Test
    void onlyAddressesInTailscalesRangesAreThisMachinesAddresses() throws Exception {
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir)
                .selfAddresses("100.101.102.103", "0.0.0.0", "fd7a:115c:a1e0::5", "192.168.1.5", "127.0.0.2", "::");
             LocalApiClient client = fake.client();
             StatusWatcher watcher = new StatusWatcher(client).start()) {
            BlockingQueue<TailscaleStatus> seen = new LinkedBlockingQueue<>();
            watcher.addListener(seen::add);
            TailscaleStatus status = awaitStatus(seen, TailscaleStatus::running);
            assertEquals(List.of(InetAddress.getByName("100.101.102.103"), InetAddress.getByName("fd7a:115c:a1e0::5")),
                    status.addresses());
            assertEquals(List.of(InetAddress.getByName("0.0.0.0"), InetAddress.getByName("192.168.1.5"),
                    InetAddress.getByName("127.0.0.2"), InetAddress.getByName("::")), status.ignoredAddresses());
        }
    }

    @Test
    void tellsWhenTailscaledGoesAwayAndComesBack() throws Exception {
        Path socket;
        BlockingQueue<TailscaleStatus> seen = new LinkedBlockingQueue<>();
        FakeLocalApi fake = FakeLocalApi.startUnix(dir);
        socket = fake.socketPath();
        try (LocalApiClient client = LocalApiClient.forUnixSocket(socket); StatusWatcher watcher = new StatusWatcher(client).start()) {
            watcher.addListener(seen::add);
            awaitStatus(seen, TailscaleStatus::running);
            fake.close();
            TailscaleStatus gone = awaitStatus(seen, s -> s.state() == BackendState.UNAVAILABLE);
            assertTrue(gone.summary().startsWith("Tailscale is not reachable at " + socket), gone.summary());
            try (FakeLocalApi back = FakeLocalApi.startUnix(dir)) {
                assertNotNull(awaitStatus(seen, TailscaleStatus::running));
            }
        }
    }

    @Test
    void aLateListenerIsToldTheCurrentStatus() throws Exception {
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir);
             LocalApiClient client = fake.client();
             StatusWatcher watcher = new StatusWatcher(client).start()) {
            BlockingQueue<TailscaleStatus> early = new LinkedBlockingQueue<>();
            watcher.addListener(early::add);
            awaitStatus(early, TailscaleStatus::running);
            BlockingQueue<TailscaleStatus> late = new LinkedBlockingQueue<>();
            watcher.addListener(late::add);
            assertTrue(awaitStatus(late, s -> true).running());
        }
    }
}
