package dev.verifull.tailscale;

/** tailscaled cannot be used right now: it could not be reached, or it did not answer in time. */
public abstract class TailscaleUnavailableException extends LocalApiException {
    private static final long serialVersionUID = 1L;

    protected TailscaleUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
