package dev.verifull.tailscale;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Something went wrong asking tailscaled. Every subclass carries a message meant for people: it
 * ends up in PostgreSQL error responses, session records and the status line.
 */
public class LocalApiException extends Exception {
    private static final long serialVersionUID = 1L;

    public LocalApiException(String message) {
        super(message);
    }

    public LocalApiException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The {@code LocalApiException} behind a failed future's exception (futures wrap it in
     * {@link CompletionException} or {@link ExecutionException}); anything else becomes an
     * unreachable-daemon exception, so callers only ever handle this hierarchy.
     */
    public static LocalApiException from(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof LocalApiException e) return e;
        return new TailscaleUnreachableException("Tailscale could not be asked (" + t + ")", t);
    }
}
