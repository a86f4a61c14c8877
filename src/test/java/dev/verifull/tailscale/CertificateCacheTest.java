package dev.verifull.tailscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.verifull.testing.TestPki;

class CertificateCacheTest {
    static final String DOMAIN = "host.tail1a2b3.ts.net";
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    final MutableClock clock = new MutableClock(T0);
    final Deque<CompletableFuture<CertPair>> answers = new ArrayDeque<>();
    final List<String> asked = new ArrayList<>();
    final CertificateCache cache = new CertificateCache(domain -> {
        asked.add(domain);
        return answers.isEmpty() ? new CompletableFuture<>() : answers.poll();
    }, DOMAIN, clock, Duration.ofHours(1), Duration.ofMinutes(1));

    static CertPair pair(Instant from, Duration validity) throws Exception {
        TestPki.Issued leaf = TestPki.server(TestPki.rootCa("ca"), from, from.plus(validity), false, DOMAIN);
        return CertPair.parse(DOMAIN, FakeLocalApi.pairPem(leaf.key(), List.of(leaf.certificate())));
    }

    @Test
    void firstGetWaitsForTheFetchThenIsServedFromTheCache() throws Exception {
        CertPair first = pair(T0, Duration.ofDays(90));
        CompletableFuture<CertPair> pending = new CompletableFuture<>();
        answers.add(pending);
        CompletableFuture<CertPair> got = cache.get();
        assertFalse(got.isDone());
        assertSame(got, cache.get(), "one fetch at a time");
        assertTrue(cache.current().isEmpty());
        pending.complete(first);
        assertSame(first, got.join());
        clock.advance(Duration.ofDays(50));
        assertSame(first, cache.get().join());
        assertEquals(1, asked.size());
    }

    @Test
    void renewsInTheBackgroundOnceLessThanAThirdIsLeft() throws Exception {
        CertPair first = pair(T0, Duration.ofDays(90));
        CertPair second = pair(T0.plus(Duration.ofDays(60)), Duration.ofDays(90));
        answers.add(CompletableFuture.completedFuture(first));
        List<CertPair> told = new ArrayList<>();
        cache.addListener(told::add);
        cache.get().join();
        CompletableFuture<CertPair> renewal = new CompletableFuture<>();
        answers.add(renewal);
        clock.set(T0.plus(Duration.ofDays(61)));
        assertSame(first, cache.get().join(), "the valid certificate is handed out while renewing");
        assertEquals(2, asked.size());
        assertSame(first, cache.current().orElseThrow());
        assertEquals(2, asked.size(), "no second renewal while one runs");
        renewal.complete(second);
        assertSame(second, cache.current().orElseThrow());
        assertEquals(List.of(first, second), told);
    }

    @Test
    void sameCertificateAgainIsNotAskedForMoreThanHourly() throws Exception {
        CertPair first = pair(T0, Duration.ofDays(90));
        answers.add(CompletableFuture.completedFuture(first));
        cache.get().join();
        clock.set(T0.plus(Duration.ofDays(61)));
        answers.add(CompletableFuture.completedFuture(first)); // tailscaled has not renewed yet
        cache.get().join();
        cache.get().join();
        assertEquals(2, asked.size());
        clock.advance(Duration.ofMinutes(61));
        answers.add(CompletableFuture.completedFuture(first));
        cache.get().join();
        assertEquals(3, asked.size());
    }

    @Test
    void failuresAreRetriedAfterTheDelayNotOnEveryCall() throws Exception {
        answers.add(CompletableFuture.failedFuture(new LocalApiAccessDeniedException("cert", 403, "cert access denied")));
        assertInstanceOf(LocalApiAccessDeniedException.class, LocalApiClientTest.failure(cache.get()));
        assertInstanceOf(LocalApiAccessDeniedException.class, LocalApiClientTest.failure(cache.get()));
        assertEquals(1, asked.size());
        clock.advance(Duration.ofMinutes(2));
        answers.add(CompletableFuture.completedFuture(pair(T0, Duration.ofDays(90))));
        assertEquals(DOMAIN, cache.get().join().domain());
        assertEquals(2, asked.size());
    }

    @Test
    void anExpiredAnswerIsAFailure() throws Exception {
        answers.add(CompletableFuture.completedFuture(pair(T0.minus(Duration.ofDays(100)), Duration.ofDays(90))));
        LocalApiException e = LocalApiClientTest.failure(cache.get());
        assertInstanceOf(MalformedAnswerException.class, e);
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void renewalIsDueInTheLastThird() throws Exception {
        CertPair p = pair(T0, Duration.ofDays(90));
        assertFalse(CertificateCache.renewalDue(p, T0.plus(Duration.ofDays(59))));
        assertTrue(CertificateCache.renewalDue(p, T0.plus(Duration.ofDays(61))));
    }
}
