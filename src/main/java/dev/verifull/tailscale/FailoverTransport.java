package dev.verifull.tailscale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Tries the discovered endpoints in order and sticks with the first one that answers. When none
 * can be reached, the next call discovers again: tailscaled may start later, and a macOS GUI app
 * gets a new port each time it starts. Only "unreachable" moves on to the next endpoint; a
 * timeout or an HTTP error is that endpoint's answer.
 */
final class FailoverTransport implements LocalApiTransport {
    private final Supplier<List<LocalApiTransport>> discover;
    private final Executor blocking;
    private List<LocalApiTransport> candidates; // guarded by this; null = discover on next call
    private CompletableFuture<List<LocalApiTransport>> discovering; // guarded by this
    private LocalApiTransport preferred; // guarded by this

    /** @param discover blocking (lsof, file checks); run on {@code blocking}, never on the caller's thread */
    FailoverTransport(Supplier<List<LocalApiTransport>> discover, Executor blocking) {
        this.discover = discover;
        this.blocking = blocking;
    }

    @Override
    public synchronized LocalApiEndpoint endpoint() {
        if (preferred != null) return preferred.endpoint();
        return candidates == null || candidates.isEmpty() ? null : candidates.get(0).endpoint();
    }

    @Override
    public CompletableFuture<LocalApiResponse> send(LocalApiCall call, Duration timeout) {
        return candidates().thenCompose(list -> attempt(list, order(list), 0, call, timeout, new ArrayList<>()));
    }

    private synchronized CompletableFuture<List<LocalApiTransport>> candidates() {
        if (candidates != null) return CompletableFuture.completedFuture(candidates);
        if (discovering == null) {
            CompletableFuture<List<LocalApiTransport>> found = CompletableFuture.supplyAsync(() -> List.copyOf(discover.get()), blocking);
            discovering = found;
            found.whenComplete((list, error) -> {
                synchronized (this) {
                    discovering = null;
                    if (error == null) candidates = list;
                }
            });
            return found;
        }
        return discovering;
    }

    private synchronized List<LocalApiTransport> order(List<LocalApiTransport> list) {
        if (preferred == null || !list.contains(preferred)) return list;
        List<LocalApiTransport> ordered = new ArrayList<>(list);
        ordered.remove(preferred);
        ordered.add(0, preferred);
        return ordered;
    }

    private CompletableFuture<LocalApiResponse> attempt(List<LocalApiTransport> discovered, List<LocalApiTransport> ordered,
            int index, LocalApiCall call, Duration timeout, List<TailscaleUnreachableException> failures) {
        if (index >= ordered.size()) {
            forget(discovered);
            return CompletableFuture.failedFuture(failures.isEmpty()
                    ? new TailscaleUnreachableException(TailscaleUnreachableException.PREFIX + "(no way to reach tailscaled was found)")
                    : TailscaleUnreachableException.all(failures));
        }
        LocalApiTransport transport = ordered.get(index);
        return transport.send(call, timeout).handle((response, error) -> {
            if (error == null) {
                prefer(transport);
                return CompletableFuture.completedFuture(response);
            }
            LocalApiException failure = LocalApiException.from(error);
            if (failure instanceof TailscaleUnreachableException unreachable) {
                failures.add(unreachable);
                return attempt(discovered, ordered, index + 1, call, timeout, failures);
            }
            return CompletableFuture.<LocalApiResponse>failedFuture(failure);
        }).thenCompose(f -> f);
    }

    private synchronized void prefer(LocalApiTransport transport) {
        preferred = transport;
    }

    private synchronized void forget(List<LocalApiTransport> discovered) {
        if (candidates == discovered) {
            candidates = null;
            preferred = null;
            discovered.forEach(LocalApiTransport::close);
        }
    }

    @Override
    public synchronized void close() {
        if (candidates != null) candidates.forEach(LocalApiTransport::close);
        candidates = null;
    }
}
