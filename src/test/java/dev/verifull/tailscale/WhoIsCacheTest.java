package dev.verifull.tailscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class WhoIsCacheTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final List<InetSocketAddress> asked = new ArrayList<>();
    CompletableFuture<Identity> next;
    final WhoIsCache cache = new WhoIsCache(peer -> {
        asked.add(peer);
        return next != null ? next : CompletableFuture.completedFuture(identity(peer));
    }, WhoIsCache.MAX_AGE, clock);

    static Identity identity(InetSocketAddress peer) {
        return new Identity("alice@example.com", "Alice", 1, "laptop.ts.net", "laptop.ts.net", List.of(), "linux",
                "nX", 2, List.of(peer.getAddress()), Map.of());
    }

    static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void onePeerIpIsAskedAboutOnceWhateverThePort() throws Exception {
        Identity a = cache.lookup(at("100.88.77.66", 50001)).join();
        Identity b = cache.lookup(at("100.88.77.66", 50002)).join();
        assertSame(a, b);
        assertEquals(1, asked.size());
        cache.lookup(at("100.88.77.67", 50001)).join();
        assertEquals(2, asked.size());
    }

    @Test
    void answersAreKeptThirtySecondsAtMost() throws Exception {
        cache.lookup(at("100.88.77.66", 1)).join();
        clock.advance(Duration.ofSeconds(29));
        cache.lookup(at("100.88.77.66", 2)).join();
        assertEquals(1, asked.size());
        clock.advance(Duration.ofSeconds(1));
        cache.lookup(at("100.88.77.66", 3)).join();
        assertEquals(2, asked.size());
    }

    @Test
    void failuresAreNotKept() throws Exception {
        next = CompletableFuture.failedFuture(new NotATailnetPeerException("100.64.0.1"));
        assertThrows(Exception.class, () -> cache.lookup(at("100.64.0.1", 1)).join());
        next = null;
        assertEquals("alice@example.com", cache.lookup(at("100.64.0.1", 1)).join().loginName());
        assertEquals(2, asked.size());
    }

    @Test
    void concurrentLookupsShareOneRequest() throws Exception {
        next = new CompletableFuture<>();
        CompletableFuture<Identity> first = cache.lookup(at("100.88.77.66", 1));
        CompletableFuture<Identity> second = cache.lookup(at("100.88.77.66", 2));
        assertEquals(1, asked.size());
        next.complete(identity(at("100.88.77.66", 1)));
        assertSame(first.join(), second.join());
    }

    /**
     * Userspace networking forwards every tailnet peer from 127.0.0.1 with a source port mapped
     * for one connection; after it closes a local process may reuse that port and must not be
     * taken for the previous peer. So every loopback connection is asked about afresh.
     */
    @Test
    void loopbackAnswersAreNeverKeptBecauseTheMappedPortOutlivesItsConnection() throws Exception {
        cache.lookup(at("127.0.0.1", 40001)).join();
        cache.lookup(at("127.0.0.1", 40002)).join();
        cache.lookup(at("127.0.0.1", 40001)).join();
        cache.lookup(at("::1", 40001)).join();
        assertEquals(4, asked.size());
        next = new CompletableFuture<>();
        cache.lookup(at("127.0.0.1", 40003));
        cache.lookup(at("127.0.0.1", 40003));
        assertEquals(6, asked.size(), "not even shared while in flight");
    }

    @Test
    void mappedAndPlainIpv4AreTheSamePeer() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 100, 88, 77, 66};
        cache.lookup(new InetSocketAddress(java.net.Inet6Address.getByAddress(null, mapped, -1), 1)).join();
        cache.lookup(at("100.88.77.66", 2)).join();
        assertEquals(1, asked.size());
    }

    @Test
    void refusesToKeepAnswersLongerThanThirtySeconds() {
        assertThrows(IllegalArgumentException.class,
                () -> new WhoIsCache(p -> null, Duration.ofSeconds(31), clock));
    }
}
