package dev.verifull.app.sessions;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiPredicate;

import dev.verifull.sessions.SessionFeed;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The sessions table's rows, pulled from the {@link SessionFeed} on a timer (FX thread). A pull
 * that finds no new events and no live sessions does nothing; with live sessions it refreshes so
 * durations and byte counts move.
 */
public final class SessionsViewModel {
    /** "All profiles" in the profile filter. */
    public static final String ALL_PROFILES = "All profiles";

    private final SessionFeed feed;
    private final BiPredicate<String, Long> endSession;
    private final ObservableList<SessionRow> rows = FXCollections.observableArrayList();
    private final FilteredList<SessionRow> visible = new FilteredList<>(rows);
    private final ObservableList<String> profileChoices = FXCollections.observableArrayList(ALL_PROFILES);
    public final StringProperty text = new SimpleStringProperty("");
    public final ObjectProperty<String> profile = new SimpleObjectProperty<>(ALL_PROFILES);
    public final ObjectProperty<OutcomeFilter> outcome = new SimpleObjectProperty<>(OutcomeFilter.ALL);
    private final ReadOnlyIntegerWrapper liveCount = new ReadOnlyIntegerWrapper();
    private long seenVersion = -1;

    /** @param endSession ends a live session by profile and id (the engine manager) */
    public SessionsViewModel(SessionFeed feed, BiPredicate<String, Long> endSession) {
        this.feed = feed;
        this.endSession = endSession;
        text.addListener(x -> applyFilter());
        profile.addListener(x -> applyFilter());
        outcome.addListener(x -> applyFilter());
    }

    /** All kept sessions, newest first. */
    public ObservableList<SessionRow> rows() {
        return rows;
    }

    /** The rows that pass the filters (the table sorts a view of these). */
    public ObservableList<SessionRow> visibleRows() {
        return visible;
    }

    public ObservableList<String> profileChoices() {
        return profileChoices;
    }

    public ReadOnlyIntegerProperty liveCountProperty() {
        return liveCount.getReadOnlyProperty();
    }

    /** Keeps the profile choice box in step with the saved profiles. */
    public void setProfileNames(List<String> names) {
        String chosen = profile.get();
        // changed in place: replacing the list would make a combo box drop its value
        profileChoices.removeIf(n -> !ALL_PROFILES.equals(n) && !names.contains(n));
        for (String n : names) {
            if (!profileChoices.contains(n)) profileChoices.add(n);
        }
        if (chosen == null || !profileChoices.contains(chosen)) profile.set(ALL_PROFILES);
    }

    /** Pulls a new snapshot if anything may have changed. Returns whether the rows were replaced. */
    public boolean refresh(Instant now) {
        long version = feed.version();
        if (version == seenVersion && liveCount.get() == 0) return false;
        seenVersion = version;
        List<SessionRow> fresh = feed.snapshot().stream().map(r -> SessionRow.of(r, now)).toList();
        rows.setAll(fresh);
        liveCount.set((int) fresh.stream().filter(SessionRow::live).count());
        return true;
    }

    /** Forgets ended and refused sessions; live ones stay. */
    public void clearEnded(Instant now) {
        feed.clearEnded();
        refresh(now);
    }

    /** Shows every session again: no text, all profiles, all outcomes. */
    public void clearFilters() {
        text.set("");
        profile.set(ALL_PROFILES);
        outcome.set(OutcomeFilter.ALL);
    }

    public boolean end(SessionRow row) {
        return row.live() && endSession.test(row.record().engine(), row.record().id());
    }

    private void applyFilter() {
        String needle = Objects.requireNonNullElse(text.get(), "").trim().toLowerCase(Locale.ROOT);
        String only = profile.get();
        OutcomeFilter which = outcome.get() != null ? outcome.get() : OutcomeFilter.ALL;
        visible.setPredicate(row -> (needle.isEmpty() || row.searchText().contains(needle))
                && (only == null || ALL_PROFILES.equals(only) || only.equals(row.profile()))
                && which.test(row));
    }

}
