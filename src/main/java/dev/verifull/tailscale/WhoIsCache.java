package dev.verifull.tailscale;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers whois answers for a short while, so a burst of connections from one peer (a
 * connection pool starting up) costs one LocalAPI call.
 *
 * <p>Keyed by peer IP: tailscaled maps an IP to a node, so every port of one IP is the same
 * identity. Loopback answers are never kept: with userspace networking, tailscaled forwards every
 * peer from 127.0.0.1 or ::1 and tells them apart only by a source port it maps for the life of
 * that one connection. Once it closes, any local process may get the same port, so the answer
 * belongs to the connection it was asked for and is asked afresh for every loopback connection.
 *
 * <p>Answers are kept at most {@link #MAX_AGE} (counted from the request, so a slow answer is
 * not kept longer): grants, tags and sharing change. Failures are not kept at all; concurrent
 * lookups for the same key share one request.
 */
public final class WhoIsCache {
    public static final Duration MAX_AGE = Duration.ofSeconds(30);
    private static final int SWEEP_ABOVE = 1024;

    private final Function<InetSocketAddress, CompletableFuture<Identity>> whois;
    private final Duration maxAge;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(CompletableFuture<Identity> answer, Instant asked) {}

    public WhoIsCache(LocalApiClient client) {
        this(client::whois, MAX_AGE, Clock.systemUTC());
    }

    /** @param maxAge at most {@link #MAX_AGE} */
    public WhoIsCache(Function<InetSocketAddress, CompletableFuture<Identity>> whois, Duration maxAge, Clock clock) {
        this.whois = Objects.requireNonNull(whois);
        if (maxAge.compareTo(MAX_AGE) > 0 || maxAge.isNegative()) throw new IllegalArgumentException("maxAge " + maxAge);
        this.maxAge = maxAge;
        this.clock = Objects.requireNonNull(clock);
    }

    /** Like {@link LocalApiClient#whois}, answered from the cache when a fresh answer is there. */
    public CompletableFuture<Identity> lookup(InetSocketAddress peer) {
        String key;
        try {
            key = key(peer);
        } catch (IllegalArgumentException notAnIp) {
            return whois.apply(peer); // let the client produce its usual error
        }
        if (key == null) return whois.apply(peer); // loopback: this connection's answer only
        Instant now = clock.instant();
        Entry cached = entries.get(key);
        if (cached != null && fresh(cached, now)) return cached.answer();
        if (entries.size() > SWEEP_ABOVE) entries.values().removeIf(e -> !fresh(e, now));
        CompletableFuture<Identity> answer = new CompletableFuture<>();
        Entry mine = new Entry(answer, now);
        Entry winner = entries.compute(key, (k, old) -> old != null && old != cached && fresh(old, now) ? old : mine);
        if (winner != mine) return winner.answer();
        whois.apply(peer).whenComplete((identity, error) -> {
            if (error != null) {
                entries.remove(key, mine);
                answer.completeExceptionally(error);
            } else {
                answer.complete(identity);
            }
        });
        return answer;
    }

    /** Forgets everything, e.g. when the tailnet or the login changed. */
    public void clear() {
        entries.clear();
    }

    private boolean fresh(Entry e, Instant now) {
        if (e.answer().isCompletedExceptionally()) return false;
        return e.asked().plus(maxAge).isAfter(now);
    }

    /** The peer's IP as text; null for loopback, whose answers are not kept. */
    static String key(InetSocketAddress peer) {
        InetAddress ip = PeerAddresses.ipOf(peer);
        return ip.isLoopbackAddress() ? null : PeerAddresses.text(ip);
    }
}
