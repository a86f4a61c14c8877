package dev.verifull.app.tray;

import java.util.Collection;

import dev.verifull.manager.EngineStatus;
import dev.verifull.manager.ProfileStatus;

/** What the tray icon shows: nothing running, something running, or a profile in error. */
public enum OverallState {
    IDLE, RUNNING, ERROR;

    public static OverallState of(Collection<ProfileStatus> statuses) {
        boolean running = false;
        for (ProfileStatus s : statuses) {
            if (s.status() == EngineStatus.ERROR) return ERROR;
            if (s.status() != EngineStatus.STOPPED) running = true;
        }
        return running ? RUNNING : IDLE;
    }
}
