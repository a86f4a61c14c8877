package dev.verifull.tailscale;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Keeps this machine's Tailscale certificate and renews it before it expires, without making
 * callers wait: while the current certificate is valid it is handed out at once, and a renewal
 * runs in the background once less than a third of its validity is left. Callers only wait
 * when there is no valid certificate at all.
 *
 * <p>tailscaled itself renews at two thirds of the lifetime and returns its cached certificate
 * until then, so asking again may return the same one; that is why a successful fetch is not
 * repeated for {@code refetchInterval}, and a failed one not for {@code retryDelay}.
 */
public final class CertificateCache {
    public static final Duration DEFAULT_REFETCH_INTERVAL = Duration.ofHours(1);
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMinutes(1);
    private static final dev.verifull.logging.Log LOG = dev.verifull.logging.Log.of(CertificateCache.class);

    private final Function<String, CompletableFuture<CertPair>> fetch;
    private final String domain;
    private final Clock clock;
    private final Duration refetchInterval;
    private final Duration retryDelay;
    private final List<Consumer<CertPair>> listeners = new CopyOnWriteArrayList<>();

    private CertPair current; // guarded by this
    private CompletableFuture<CertPair> fetching; // guarded by this
    private Instant nextFetchAllowed = Instant.MIN; // guarded by this
    private Throwable lastFailure; // guarded by this

    public CertificateCache(LocalApiClient client, String domain) {
        this(client::cert, domain, Clock.systemUTC(), DEFAULT_REFETCH_INTERVAL, DEFAULT_RETRY_DELAY);
    }

    public CertificateCache(Function<String, CompletableFuture<CertPair>> fetch, String domain, Clock clock,
            Duration refetchInterval, Duration retryDelay) {
        this.fetch = Objects.requireNonNull(fetch);
        this.domain = Objects.requireNonNull(domain);
        this.clock = Objects.requireNonNull(clock);
        this.refetchInterval = Objects.requireNonNull(refetchInterval);
        this.retryDelay = Objects.requireNonNull(retryDelay);
    }

    public String domain() {
        return domain;
    }

    /**
     * A valid certificate: at once when one is held (renewing in the background when due),
     * otherwise when fetched. Fails with the fetch's {@link LocalApiException}; after a failure,
     * fails at once until {@code retryDelay} has passed.
     */
    public synchronized CompletableFuture<CertPair> get() {
        Instant now = clock.instant();
        if (current != null && now.isBefore(current.notAfter())) {
            if (renewalDue(current, now)) fetchIfAllowed(now);
            return CompletableFuture.completedFuture(current);
        }
        if (fetching != null) return fetching;
        if (now.isBefore(nextFetchAllowed) && lastFailure != null) return CompletableFuture.failedFuture(lastFailure);
        return startFetch(now);
    }

    /** The certificate held now, if still valid; never waits (but may start a renewal). */
    public Optional<CertPair> current() {
        CompletableFuture<CertPair> f = get();
        return f.isDone() && !f.isCompletedExceptionally() ? Optional.of(f.join()) : Optional.empty();
    }

    /** Told (on a client thread) each time a different certificate is fetched, e.g. to swap an SslContext. */
    public void addListener(Consumer<CertPair> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /** Due when less than a third of the validity is left. */
    static boolean renewalDue(CertPair pair, Instant now) {
        Duration left = Duration.between(now, pair.notAfter());
        return left.compareTo(pair.validity().dividedBy(3)) < 0;
    }

    private void fetchIfAllowed(Instant now) {
        if (fetching == null && !now.isBefore(nextFetchAllowed)) startFetch(now);
    }

    private CompletableFuture<CertPair> startFetch(Instant now) {
        CompletableFuture<CertPair> f;
        try {
            f = fetch.apply(domain);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<CertPair> started = f.thenApply(pair -> {
            if (!pair.notAfter().isAfter(clock.instant())) {
                throw new CompletionException(new MalformedAnswerException("cert", "the certificate expired on " + pair.notAfter()));
            }
            return pair;
        });
        fetching = started;
        started.whenComplete((pair, error) -> fetched(started, now, pair, error));
        return started;
    }

    private void fetched(CompletableFuture<CertPair> which, Instant askedAt, CertPair pair, Throwable error) {
        boolean changed = false;
        synchronized (this) {
            if (fetching == which) fetching = null;
            if (error != null) {
                lastFailure = LocalApiException.from(error);
                nextFetchAllowed = askedAt.plus(retryDelay);
            } else {
                lastFailure = null;
                nextFetchAllowed = askedAt.plus(refetchInterval);
                changed = current == null || !current.leaf().equals(pair.leaf());
                if (changed) current = pair;
            }
        }
        if (!changed) return;
        for (Consumer<CertPair> listener : listeners) {
            try {
                listener.accept(pair);
            } catch (RuntimeException e) {
                LOG.warn("certificate listener failed", e);
            }
        }
    }
}
