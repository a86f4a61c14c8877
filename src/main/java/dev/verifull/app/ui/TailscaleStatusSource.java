package dev.verifull.app.ui;

import java.util.function.Consumer;

import dev.verifull.tailscale.StatusWatcher;

/**
 * Where the status line learns the Tailscale state. Listeners may be called on any thread, first
 * with the current state and then on every change.
 */
@FunctionalInterface
public interface TailscaleStatusSource {
    void subscribe(Consumer<TailscaleState> listener);

    /** No Tailscale integration: the status line says so and local-only profiles work. */
    static TailscaleStatusSource notFound() {
        return listener -> listener.accept(TailscaleState.NOT_FOUND);
    }

    static TailscaleStatusSource of(StatusWatcher watcher) {
        return listener -> watcher.addListener(status -> listener.accept(TailscaleState.of(status)));
    }
}
