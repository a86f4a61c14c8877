package dev.verifull.tailscale;

import java.util.ArrayList;
import java.util.List;

/**
 * No connection to tailscaled: no socket, connection refused, no {@code tailscale} command, or
 * the connection closed before an answer. Only this failure makes the client try the next
 * discovered endpoint.
 */
public final class TailscaleUnreachableException extends TailscaleUnavailableException {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "Tailscale is not reachable ";

    /** "at PATH (reason)" per endpoint tried. */
    private final List<String> attempts;
    /** Hints from discovery, e.g. why the macOS app's token could not be read. */
    private final List<String> notes;

    public TailscaleUnreachableException(String message, Throwable cause) {
        super(message, cause);
        this.attempts = List.of();
        this.notes = List.of(message);
    }

    public TailscaleUnreachableException(String message) {
        this(message, null);
    }

    private TailscaleUnreachableException(List<String> attempts, List<String> notes, Throwable cause) {
        super(message(attempts, notes), cause);
        this.attempts = List.copyOf(attempts);
        this.notes = List.copyOf(notes);
    }

    /** "Tailscale is not reachable at /var/run/tailscale/tailscaled.sock (connection refused)". */
    static TailscaleUnreachableException at(LocalApiEndpoint endpoint, String reason, Throwable cause) {
        return new TailscaleUnreachableException(List.of(endpoint.where() + " (" + reason + ")"), List.of(), cause);
    }

    /** One exception naming every endpoint that was tried, in order, then the hints. */
    static TailscaleUnreachableException all(List<TailscaleUnreachableException> failures) {
        if (failures.size() == 1) return failures.get(0);
        List<String> attempts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (TailscaleUnreachableException f : failures) {
            attempts.addAll(f.attempts);
            notes.addAll(f.notes);
        }
        return new TailscaleUnreachableException(attempts, notes, failures.get(0));
    }

    private static String message(List<String> attempts, List<String> notes) {
        String tried = attempts.isEmpty() ? PREFIX.strip() : PREFIX + String.join(", nor ", attempts);
        return notes.isEmpty() ? tried : tried + "; " + String.join("; ", notes);
    }
}
