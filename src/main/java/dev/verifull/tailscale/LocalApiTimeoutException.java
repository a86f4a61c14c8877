package dev.verifull.tailscale;

import java.time.Duration;

/** tailscaled was reached (or is being reached) but did not answer within the call's timeout. */
public final class LocalApiTimeoutException extends TailscaleUnavailableException {
    private static final long serialVersionUID = 1L;

    public LocalApiTimeoutException(String operation, Duration timeout, LocalApiEndpoint endpoint) {
        super("tailscaled did not answer the " + operation + " request within " + seconds(timeout)
                + " (" + endpoint.where() + ")", null);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
