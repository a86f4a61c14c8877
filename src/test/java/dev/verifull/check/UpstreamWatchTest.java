package dev.verifull.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.verifull.app.sessions.Records;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import dev.verifull.profile.Profile;
import dev.verifull.tls.UpstreamDiagnosis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When the watch checks a running profile's upstream, and what it reports. */
class UpstreamWatchTest {
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
    private final AtomicInteger tests = new AtomicInteger();
    private final Map<String, CompletableFuture<UpstreamTestResult>> held = new ConcurrentHashMap<>();
    private volatile UpstreamTestResult answer = ok();
    private final List<UpstreamWatch.Verdict> verdicts = new CopyOnWriteArrayList<>();
    private UpstreamWatch watch;

    private final Profile orders = new Profile("orders", "db.example.com", 5432, null, List.of("/ca.pem"), false, null, null,
            false, false, 6432, Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null, "app", "app", false, "jdk", 200, 0, 0);

    private UpstreamWatch watch(Duration minInterval) {
        watch = new UpstreamWatch((p, executor) -> {
            tests.incrementAndGet();
            CompletableFuture<UpstreamTestResult> h = held.remove(p.name());
            return h != null ? h : CompletableFuture.completedFuture(answer);
        }, Runnable::run, verdicts::add, minInterval, Clock.systemUTC());
        return watch;
    }

    @AfterEach
    void close() {
        if (watch != null) watch.close();
    }

    private static UpstreamTestResult ok() {
        return new UpstreamTestResult(true, "db.example.com:5432", "db.example.com", "CA file /ca.pem", "TLSv1.3", "x", null,
                List.of(), 3, null, Set.of(), List.of());
    }

    private static UpstreamTestResult mismatch() {
        return new UpstreamTestResult(false, "db.example.com:5432", "db.example.com", "CA file /ca.pem", null, null, null,
                List.of(), 3, new UpstreamDiagnosis(UpstreamDiagnosis.Kind.HOSTNAME_MISMATCH,
                "certificate name mismatch: The server's certificate is not valid for the name \"db.example.com\": it is issued for other.example.com.",
                "Names: other.example.com", "connect using one of the certificate's names."), Set.of(), List.of());
    }

    private SessionEvent refused(long id, RefusalReason reason) {
        return new SessionEvent(SessionEvent.Type.REFUSED, Records.refused(id, "orders", t0, Records.LOCAL, reason,
                "verifull: upstream db.example.com:5432: certificate name mismatch: it is issued for other.example.com",
                "Names: other.example.com", "Connect using one of the certificate's names."));
    }

    private UpstreamWatch.Verdict last() {
        return verdicts.get(verdicts.size() - 1);
    }

    @Test
    void aStartChecksOnceAndReportsCheckingThenVerified() throws Exception {
        watch(Duration.ofHours(1)).started(orders);
        watch.awaitIdle();
        watch.awaitIdle();
        assertEquals(1, tests.get());
        assertEquals(List.of(UpstreamWatch.State.CHECKING, UpstreamWatch.State.VERIFIED),
                verdicts.stream().map(UpstreamWatch.Verdict::state).toList());
        assertNull(last().message());
    }

    @Test
    void aWrongNameAtTheStartIsNotVerifiedWithTheDiagnosis() throws Exception {
        answer = mismatch();
        watch(Duration.ofHours(1)).started(orders);
        watch.awaitIdle();
        watch.awaitIdle();
        UpstreamWatch.Verdict v = last();
        assertEquals(UpstreamWatch.State.NOT_VERIFIED, v.state());
        assertTrue(v.message().startsWith("Certificate name mismatch: "), v.message());
        assertEquals("Names: other.example.com", v.detail());
        assertEquals("connect using one of the certificate's names.", v.hint());
        assertEquals(answer, v.lastTest());
    }

    @Test
    void aRefusalForAnUpstreamReasonTurnsItNotVerifiedAtOnceAndChecksAgain() throws Exception {
        watch(Duration.ZERO).started(orders);
        watch.awaitIdle();
        watch.awaitIdle();
        answer = mismatch(); // the server's certificate changed
        watch.onSessionEvent(refused(1, RefusalReason.HOSTNAME_MISMATCH));
        watch.awaitIdle();
        watch.awaitIdle();
        assertEquals(2, tests.get(), "checked again after the refusal");
        UpstreamWatch.Verdict fromRefusal = verdicts.get(2);
        assertEquals(UpstreamWatch.State.NOT_VERIFIED, fromRefusal.state());
        assertTrue(fromRefusal.message().startsWith("Upstream db.example.com:5432: certificate name mismatch"), fromRefusal.message());
        assertEquals("Connect using one of the certificate's names.", fromRefusal.hint(), "what the client was told, at once");
        assertEquals(mismatch().diagnosis().sentence(), last().message(), "then what the check found");
        assertEquals(fromRefusal.since(), last().since(), "still the same trouble since the refusal");
    }

    @Test
    void refusalsAreCheckedAtMostOncePerIntervalNotOncePerClient() throws Exception {
        watch(Duration.ofHours(1)).started(orders);
        watch.awaitIdle();
        watch.awaitIdle();
        for (int i = 0; i < 50; i++) watch.onSessionEvent(refused(i, RefusalReason.CERTIFICATE_UNTRUSTED));
        watch.awaitIdle();
        assertEquals(1, tests.get(), "the start's check only: the next waits for the interval");
        assertEquals(UpstreamWatch.State.NOT_VERIFIED, last().state());
        watch.checkNow("orders"); // the user asks: no waiting
        watch.awaitIdle();
        watch.awaitIdle();
        assertEquals(2, tests.get());
        assertEquals(UpstreamWatch.State.VERIFIED, last().state());
    }

    @Test
    void aSessionThatReachedTheServerProvesItVerifiedAndOtherRefusalsChangeNothing() throws Exception {
        answer = mismatch();
        watch(Duration.ofHours(1)).started(orders);
        watch.awaitIdle();
        watch.awaitIdle();
        int reported = verdicts.size();
        watch.onSessionEvent(new SessionEvent(SessionEvent.Type.REFUSED,
                Records.refused(7, "orders", t0, RefusalReason.ACCESS_DENIED, "verifull: access denied")));
        watch.awaitIdle();
        assertEquals(reported, verdicts.size(), "a denied client says nothing about the upstream");
        watch.onSessionEvent(new SessionEvent(SessionEvent.Type.START, Records.live(8, "orders", t0, "app")));
        watch.awaitIdle();
        assertEquals(UpstreamWatch.State.VERIFIED, last().state());
        assertEquals(1, tests.get());
    }

    @Test
    void anAnswerForAStoppedOrRestartedProfileIsDropped() throws Exception {
        CompletableFuture<UpstreamTestResult> slow = new CompletableFuture<>();
        held.put("orders", slow);
        watch(Duration.ofHours(1)).started(orders);
        watch.awaitIdle();
        watch.stopped("orders");
        watch.awaitIdle();
        slow.complete(mismatch());
        watch.awaitIdle();
        assertEquals(List.of(UpstreamWatch.State.CHECKING), verdicts.stream().map(UpstreamWatch.Verdict::state).toList());
        watch.onSessionEvent(refused(9, RefusalReason.HOSTNAME_MISMATCH));
        watch.awaitIdle();
        assertEquals(1, tests.get(), "a stopped profile is not checked");
    }
}
