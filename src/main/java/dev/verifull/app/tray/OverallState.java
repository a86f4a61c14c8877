package dev.verifull.app.tray;

import java.util.Collection;

import dev.verifull.app.profiles.ProfileState;

/**
 * What the tray icon shows: nothing running, something running, a running profile whose upstream
 * is not verified (amber), or a profile in error.
 */
public enum OverallState {
    IDLE, RUNNING, UNVERIFIED, ERROR;

    public static OverallState of(Collection<ProfileState> states) {
        OverallState worst = IDLE;
        for (ProfileState s : states) {
            OverallState this_ = switch (s) {
                case ERROR -> ERROR;
                case UNVERIFIED, TRUST_NOT_RELOADED -> UNVERIFIED;
                case STOPPED -> IDLE;
                default -> RUNNING;
            };
            if (this_.compareTo(worst) > 0) worst = this_;
        }
        return worst;
    }
}
