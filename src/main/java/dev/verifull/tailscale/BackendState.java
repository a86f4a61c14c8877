package dev.verifull.tailscale;

/** tailscaled's {@code BackendState}; only {@link #RUNNING} means the tailnet can be used. */
public enum BackendState {
    NO_STATE("NoState"),
    IN_USE_OTHER_USER("InUseOtherUser"),
    NEEDS_LOGIN("NeedsLogin"),
    NEEDS_MACHINE_AUTH("NeedsMachineAuth"),
    STOPPED("Stopped"),
    STARTING("Starting"),
    RUNNING("Running"),
    /** A state name this client does not know (a newer tailscaled). */
    UNKNOWN("Unknown"),
    /** Not from tailscaled: it could not be reached or did not answer. */
    UNAVAILABLE("Unavailable");

    private final String wireName;

    BackendState(String wireName) {
        this.wireName = wireName;
    }

    /** The name tailscaled uses, e.g. {@code NeedsLogin}. */
    public String wireName() {
        return wireName;
    }

    public static BackendState fromWire(String name) {
        for (BackendState s : values()) {
            if (s != UNAVAILABLE && s.wireName.equals(name)) return s;
        }
        return UNKNOWN;
    }
}
