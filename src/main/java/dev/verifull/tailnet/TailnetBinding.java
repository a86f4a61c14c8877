package dev.verifull.tailnet;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.verifull.engine.pg.ProxyEngine;
import dev.verifull.tailscale.BackendState;
import dev.verifull.tailscale.StatusWatcher;
import dev.verifull.tailscale.TailscaleStatus;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Keeps an engine listening on this machine's Tailscale addresses, and only there: while
 * Tailscale is not Running the engine listens nowhere and waits; once it runs, the engine binds
 * its addresses (IPv4 and IPv6) on the profile's port; when they change, the engine moves to the
 * new ones. Live sessions are not touched. The client-facing certificate follows along
 * ({@link TailnetCertificates}).
 *
 * <p>Status changes come from a shared {@link StatusWatcher} and are applied one at a time on this
 * binding's own thread, never on an event loop. A failed bind is tried again every
 * {@link #RETRY} while the status stays the same.
 */
public final class TailnetBinding implements AutoCloseable {
    public static final Duration RETRY = Duration.ofSeconds(2);
    private static final Duration CERTIFICATE_CHECK = Duration.ofHours(1);

    /** What the binding tells its owner; called on the binding's thread. */
    public interface Events {
        /** Tailscale is not Running (or cannot be asked): the engine listens nowhere. */
        void waiting(TailscaleStatus status);

        /** The engine now listens on these addresses (first time, or after they changed). */
        void listening(List<InetSocketAddress> addresses, TailscaleStatus status, String certificate);

        /**
         * An address could not be bound; tried again after {@link #RETRY}. Addresses that did
         * bind are served meanwhile (and reported with {@link #listening}).
         */
        void bindFailed(Throwable failure, TailscaleStatus status);

        /**
         * Tailscale's status listed addresses outside Tailscale's ranges (see
         * {@link dev.verifull.tailscale.TailnetAddressRanges}); they are never listened on. Told
         * when that list changes, also when it becomes empty.
         */
        void ignoredAddresses(List<InetAddress> ignored, TailscaleStatus status);
    }

    private final ProxyEngine engine;
    private final int port;
    private final StatusWatcher watcher;
    private final TailnetCertificates certificates;
    private final Events events;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("verifull-tailnet-binding", true));
    private final Consumer<TailscaleStatus> listener = status -> onThread(() -> apply(status));

    // Confined to the binding's thread.
    private TailscaleStatus latest;
    private String lastWaiting;
    private List<InetSocketAddress> lastListening = List.of();
    private List<InetAddress> lastIgnored = List.of();
    private ScheduledFuture<?> retry;
    private volatile boolean closed;

    /** @param port the port on every Tailscale address; 0 picks a free one per address */
    public TailnetBinding(ProxyEngine engine, int port, StatusWatcher watcher, TailnetCertificates certificates,
            Events events) {
        this.engine = Objects.requireNonNull(engine, "engine");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        this.port = port;
        this.watcher = Objects.requireNonNull(watcher, "watcher");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Starts following the status; the engine must already be started (it waits with no address). */
    public TailnetBinding start() {
        watcher.addListener(listener);
        watcher.start();
        // Tailscale renews its certificate on its own schedule: ask now and then.
        thread.scheduleWithFixedDelay(() -> {
            if (latest != null) certificates.update(latest);
        }, CERTIFICATE_CHECK.toMillis(), CERTIFICATE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** "waiting for Tailscale (state: Stopped)", or why Tailscale cannot be asked. */
    public static String waitingText(TailscaleStatus status) {
        if (status.state() == BackendState.UNAVAILABLE) return "waiting for Tailscale (" + status.stateName() + ")";
        String state = status.stateName().isEmpty() ? status.state().wireName() : status.stateName();
        return "waiting for Tailscale (state: " + state + (status.running() ? ", no Tailscale address yet" : "") + ")";
    }

    /** "not listening on 192.168.1.5: Tailscale's status lists it, but it is not a Tailscale address (…)". */
    public static String ignoredText(List<InetAddress> ignored) {
        List<String> shown = ignored.stream().map(InetAddress::getHostAddress).toList();
        boolean one = shown.size() == 1;
        return "not listening on " + String.join(", ", shown) + ": Tailscale's status lists " + (one ? "it" : "them")
                + ", but " + (one ? "it is not a Tailscale address" : "they are not Tailscale addresses")
                + " (" + dev.verifull.tailscale.TailnetAddressRanges.TAILSCALE + ")";
    }

    /**
     * The addresses an engine on {@code port} should listen on for this status; empty = wait. Only
     * the status's {@link TailscaleStatus#addresses()}: the watcher has left out anything outside
     * Tailscale's ranges.
     */
    public static List<InetSocketAddress> listenAddresses(TailscaleStatus status, int port) {
        List<InetSocketAddress> out = new ArrayList<>();
        if (!status.running()) return out;
        for (InetAddress a : status.addresses()) out.add(new InetSocketAddress(a, port));
        return out;
    }

    private void apply(TailscaleStatus status) {
        latest = status;
        cancelRetry();
        if (!status.ignoredAddresses().equals(lastIgnored)) {
            lastIgnored = status.ignoredAddresses();
            events.ignoredAddresses(lastIgnored, status);
        }
        List<InetSocketAddress> wanted = listenAddresses(status, port);
        if (wanted.isEmpty()) {
            lastListening = List.of();
            String text = waitingText(status);
            if (!text.equals(lastWaiting)) {
                lastWaiting = text;
                events.waiting(status);
            }
        } else {
            lastWaiting = null;
            certificates.update(status); // before binding: new addresses need a certificate naming them
        }
        engine.rebind(wanted).whenComplete((bound, error) -> onThread(() -> rebound(status, bound, error)));
    }

    private void rebound(TailscaleStatus status, List<InetSocketAddress> bound, Throwable error) {
        if (status != latest || closed) return; // a newer status has been applied since
        if (error != null) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof IllegalStateException) return; // the engine is stopping
            events.bindFailed(cause, status);
            retry = thread.schedule(() -> apply(status), RETRY.toMillis(), TimeUnit.MILLISECONDS);
            bound = engine.boundAddresses(); // e.g. IPv4 bound while IPv6 failed: say so, serve on it
        }
        if (!bound.isEmpty() && !bound.equals(lastListening)) {
            lastListening = bound;
            events.listening(bound, status, certificates.description());
        }
    }

    private void cancelRetry() {
        if (retry != null) retry.cancel(false);
        retry = null;
    }

    private void onThread(Runnable task) {
        if (closed) return;
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            // closed between the check and here
        }
    }

    /** Stops following the status (the engine keeps whatever it listens on; stop it separately). */
    @Override
    public void close() {
        closed = true;
        watcher.removeListener(listener);
        thread.shutdownNow();
    }
}
