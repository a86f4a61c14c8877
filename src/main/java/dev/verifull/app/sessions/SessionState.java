package dev.verifull.app.sessions;

import dev.verifull.engine.Outcome;
import dev.verifull.engine.SessionRecord;

/** The first column's dot: live, ended normally, refused by Verifull, or rejected by the server. */
public enum SessionState {
    LIVE("live"), ENDED("ended"), REFUSED("refused"), REJECTED("rejected by server");

    private final String label;

    SessionState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static SessionState of(SessionRecord r) {
        if (r.outcome() == Outcome.REFUSED) return REFUSED;
        if (r.outcome() == Outcome.SERVER_REJECTED) return REJECTED;
        return r.active() ? LIVE : ENDED;
    }
}
