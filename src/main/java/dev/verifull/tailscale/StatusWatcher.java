package dev.verifull.tailscale;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Follows this machine's Tailscale status by polling {@code status?peers=false} (every second by
 * default), and tells listeners when it changes: state, addresses, names, health text, or
 * tailscaled becoming unreachable ({@link BackendState#UNAVAILABLE}).
 *
 * <p>Polling rather than the IPN bus: it works the same over every transport including the
 * CLI, the bus's {@code Notify} is not a stable API and changes shape between releases, and on
 * Windows a long-lived request marks this user as the one "using" Tailscale. A poll is one tiny
 * request over a local socket.
 *
 * <p>Only addresses inside the watcher's {@link TailnetAddressRanges} reach the listeners as
 * {@link TailscaleStatus#addresses()}; anything else the answer lists is passed on as
 * {@link TailscaleStatus#ignoredAddresses()}, to be reported.
 *
 * <p>Listeners run on the watcher's own thread, one at a time, in order of changes.
 */
public final class StatusWatcher implements AutoCloseable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    private static final dev.verifull.logging.Log LOG = dev.verifull.logging.Log.of(StatusWatcher.class);

    private final Supplier<CompletableFuture<TailscaleStatus>> source;
    private final Duration interval;
    private final TailnetAddressRanges ranges;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("verifull-tailscale-watch", true));
    private final List<Consumer<TailscaleStatus>> listeners = new CopyOnWriteArrayList<>();
    private volatile TailscaleStatus latest;
    private volatile boolean started;
    private volatile boolean closed;

    public StatusWatcher(LocalApiClient client) {
        this(client, TailnetAddressRanges.TAILSCALE);
    }

    public StatusWatcher(LocalApiClient client, TailnetAddressRanges ranges) {
        this(client::status, DEFAULT_INTERVAL, ranges);
    }

    /** @param interval at most 2 s keeps changes noticed within a few seconds */
    public StatusWatcher(Supplier<CompletableFuture<TailscaleStatus>> source, Duration interval) {
        this(source, interval, TailnetAddressRanges.TAILSCALE);
    }

    /** @param ranges where a usable address comes from ({@link TailnetAddressRanges#TAILSCALE}; more in tests) */
    public StatusWatcher(Supplier<CompletableFuture<TailscaleStatus>> source, Duration interval, TailnetAddressRanges ranges) {
        this.source = Objects.requireNonNull(source, "source");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.ranges = Objects.requireNonNull(ranges, "ranges");
    }

    /** Starts polling (once); listeners added before or after see every change from then on. */
    public synchronized StatusWatcher start() {
        if (!started && !closed) {
            started = true;
            thread.execute(this::poll);
        }
        return this;
    }

    /** Adds a listener; it is told the current status first, if one is known. */
    public void addListener(Consumer<TailscaleStatus> listener) {
        listeners.add(Objects.requireNonNull(listener));
        onWatcherThread(() -> {
            TailscaleStatus now = latest;
            if (now != null) tell(listener, now);
        });
    }

    // After close() there is nothing left to tell; a late answer is dropped quietly.
    private void onWatcherThread(Runnable task) {
        if (closed) return;
        try {
            thread.execute(task);
        } catch (RejectedExecutionException closedMeanwhile) {
            // closed between the check and here
        }
    }

    public void removeListener(Consumer<TailscaleStatus> listener) {
        listeners.remove(listener);
    }

    /** The last status seen; empty before the first answer. */
    public Optional<TailscaleStatus> current() {
        return Optional.ofNullable(latest);
    }

    private void poll() {
        if (closed) return;
        CompletableFuture<TailscaleStatus> asked;
        try {
            asked = source.get();
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        asked.whenCompleteAsync((status, error) -> {
            if (closed) return;
            update(error == null ? status.within(ranges) : TailscaleStatus.unavailable(LocalApiException.from(error).getMessage()));
            thread.schedule(this::poll, interval.toMillis(), TimeUnit.MILLISECONDS);
        }, this::onWatcherThread);
    }

    private void update(TailscaleStatus status) {
        if (status.equals(latest)) return;
        latest = status;
        for (Consumer<TailscaleStatus> listener : listeners) tell(listener, status);
    }

    private static void tell(Consumer<TailscaleStatus> listener, TailscaleStatus status) {
        try {
            listener.accept(status);
        } catch (RuntimeException e) {
            LOG.warn("Tailscale status listener failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
    }
}
