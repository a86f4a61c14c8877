package dev.verifull.tailscale;

/** tailscaled answered, but with an HTTP error status (its plain-text reason is kept). */
public class LocalApiHttpException extends LocalApiException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;

    public LocalApiHttpException(String operation, int status, String reason) {
        this(operation, status, reason, "");
    }

    protected LocalApiHttpException(String operation, int status, String reason, String hint) {
        super("tailscaled answered " + status + " to the " + operation + " request"
                + (reason.isEmpty() ? "" : ": " + reason) + hint);
        this.status = status;
        this.reason = reason;
    }

    /** The HTTP status tailscaled sent. */
    public int status() {
        return status;
    }

    /** tailscaled's own error text, e.g. {@code whois access denied}; may be empty. */
    public String reason() {
        return reason;
    }
}
