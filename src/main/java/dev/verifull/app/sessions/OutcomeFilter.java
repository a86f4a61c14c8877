package dev.verifull.app.sessions;

import java.util.function.Predicate;

import dev.verifull.engine.Outcome;

/** The sessions table's outcome choice box. */
public enum OutcomeFilter {
    ALL("All outcomes", r -> true),
    LIVE("Live", SessionRow::live),
    PROBLEMS("Refused or rejected", SessionRow::problem),
    REFUSED("Refused by Verifull", r -> r.record().outcome() == Outcome.REFUSED),
    REJECTED("Rejected by server", r -> r.record().outcome() == Outcome.SERVER_REJECTED),
    ENDED("Ended", r -> !r.record().active() && !r.problem());

    private final String label;
    private final Predicate<SessionRow> test;

    OutcomeFilter(String label, Predicate<SessionRow> test) {
        this.label = label;
        this.test = test;
    }

    public boolean test(SessionRow row) {
        return test.test(row);
    }

    @Override
    public String toString() {
        return label;
    }
}
