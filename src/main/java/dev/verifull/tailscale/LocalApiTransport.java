package dev.verifull.tailscale;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Carries one LocalAPI call to tailscaled. Never blocks the calling thread. The future fails
 * only with {@link LocalApiException}s: {@link TailscaleUnreachableException} when no connection
 * could be made, {@link LocalApiTimeoutException} when no answer came in time. HTTP error
 * statuses are answers, not failures.
 */
interface LocalApiTransport extends AutoCloseable {

    CompletableFuture<LocalApiResponse> send(LocalApiCall call, Duration timeout);

    LocalApiEndpoint endpoint();

    @Override
    default void close() {}
}
