package dev.verifull.app.profiles;

import dev.verifull.check.UpstreamWatch;
import dev.verifull.manager.EngineStatus;
import dev.verifull.manager.ProfileStatus;

/**
 * What the list, the details and the tray say about a profile: its engine's state, and for a
 * running engine whether its upstream could be verified. A running profile whose clients are all
 * refused is not shown as fine: it is "Running — upstream not verified", in amber.
 */
public enum ProfileState {
    STOPPED("Stopped", "stopped"),
    STARTING("Starting", "starting"),
    WAITING("Waiting for Tailscale", "waiting"),
    CHECKING("Running — checking the upstream", "checking"),
    RUNNING("Running", "running"),
    UNVERIFIED("Running — upstream not verified", "unverified"),
    /** Changed trust did not load: running on with the last good trust (amber, as unverified). */
    TRUST_NOT_RELOADED("Running — changed trust not loaded", "unverified"),
    ERROR("Error", "error");

    private final String label;
    private final String style;

    ProfileState(String label, String style) {
        this.label = label;
        this.style = style;
    }

    public String label() {
        return label;
    }

    /** The CSS class of dots and pills. */
    public String style() {
        return style;
    }

    /** As {@link #of(EngineStatus, UpstreamWatch.Verdict)}; a running engine whose changed trust did not load says so. */
    public static ProfileState of(ProfileStatus status, UpstreamWatch.Verdict upstream) {
        ProfileState s = of(status.status(), upstream);
        return status.trustError() != null && (s == RUNNING || s == CHECKING) ? TRUST_NOT_RELOADED : s;
    }

    /** @param upstream the watch's last verdict; null when there is none */
    public static ProfileState of(EngineStatus engine, UpstreamWatch.Verdict upstream) {
        return switch (engine) {
            case STOPPED -> STOPPED;
            case STARTING -> STARTING;
            case WAITING_FOR_TAILSCALE -> WAITING;
            case ERROR -> ERROR;
            case RUNNING -> upstream == null ? RUNNING : switch (upstream.state()) {
                case CHECKING -> CHECKING;
                case VERIFIED -> RUNNING;
                case NOT_VERIFIED -> UNVERIFIED;
            };
        };
    }
}
