package dev.verifull.engine;

/** Where a connection attempt stands, or how it ended. */
public enum Outcome {
    /** Startup phase or upstream verification still going on. */
    IN_PROGRESS(false),
    /** The server accepted the login (ReadyForQuery) and bytes are relayed. */
    AUTHENTICATED(false),
    /** The verified server refused the login or the startup (its ErrorResponse). */
    SERVER_REJECTED(true),
    /** Verifull refused the connection (see the refusal reason). */
    REFUSED(true),
    /** A CancelRequest for a session this engine relayed, forwarded over verified TLS. */
    CANCEL_FORWARDED(false),
    /** A CancelRequest with an unknown key, dropped silently as PostgreSQL does. */
    CANCEL_IGNORED(false),
    /** The client went away before finishing the startup phase. */
    ABANDONED(false);

    private final boolean failure;

    Outcome(boolean failure) {
        this.failure = failure;
    }

    public boolean isFailure() {
        return failure;
    }
}
