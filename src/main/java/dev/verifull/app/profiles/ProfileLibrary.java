package dev.verifull.app.profiles;

import java.io.IOException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

import dev.verifull.app.ui.SerialExecutor;
import dev.verifull.check.UpstreamWatch;
import dev.verifull.manager.EngineStatus;
import dev.verifull.manager.ProfileStatus;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The saved profiles and their engines, as the window and the tray see them. All methods run on
 * the FX thread; loading, saving and engine work happen on background threads and report back
 * through the {@code fx} executor.
 */
public final class ProfileLibrary {
    private final ProfileStorage storage;
    private final EngineControl engines;
    private final Executor fx;
    private final Executor writer;
    private final Executor background;
    private final ObservableList<ProfileItem> items = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    /** Checks running profiles' upstreams; null = no checks (tests that do not need them). */
    private UpstreamWatch watch;

    public ProfileLibrary(ProfileStorage storage, EngineControl engines, Executor background, Executor fx) {
        this.storage = storage;
        this.engines = engines;
        this.fx = fx;
        this.background = background;
        this.writer = new SerialExecutor(background);
        engines.addStatusListener(status -> fx.execute(() -> applyStatus(status)));
        items.addListener((javafx.collections.ListChangeListener<ProfileItem>) c -> changed());
    }

    /**
     * From now on, each profile whose engine starts running has its upstream checked, and the
     * verdicts (handed in with {@link #applyVerdict}) show on its item.
     */
    public void watchUpstreams(UpstreamWatch watch) {
        this.watch = watch;
    }

    /** The watch's verdict; kept only while the profile's engine runs. FX thread. */
    public void applyVerdict(UpstreamWatch.Verdict verdict) {
        find(verdict.profile()).ifPresent(item -> {
            EngineStatus s = item.status().status();
            if (s != EngineStatus.RUNNING && s != EngineStatus.WAITING_FOR_TAILSCALE) return; // a late answer
            item.setUpstream(verdict);
            // "clients can connect now" is no longer true: the amber state says what is
            if (verdict.notVerified()) staleNote(item);
            changed();
        });
    }

    /** "Test again": checks the running profile's upstream now. */
    public void checkUpstream(String name) {
        if (watch != null) watch.checkNow(name);
    }

    /** Grows with every change to the list, a profile or a status (the tray and summary follow it). */
    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    private void changed() {
        revision.set(revision.get() + 1);
    }

    public ObservableList<ProfileItem> items() {
        return items;
    }

    /** A sentence for the banner when the profiles file could not be read or written; null when fine. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public void dismissProblem() {
        problem.set(null);
    }

    /** Reads the file in the background, then starts the profiles marked "start with the app". */
    public CompletableFuture<Void> load() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        background.execute(() -> {
            ProfileStore.LoadResult result;
            try {
                result = storage.load();
            } catch (RuntimeException e) {
                result = new ProfileStore.LoadResult(List.of(), "The profiles file could not be read: " + e.getMessage(), null);
            }
            ProfileStore.LoadResult r = result;
            fx.execute(() -> {
                items.setAll(r.profiles().stream().map(p -> new ProfileItem(p, engines.status(p.name()))).toList());
                if (r.problem() != null) problem.set(sentence(r.problem()));
                loaded.set(true);
                for (ProfileItem item : items) {
                    if (item.profile().startWithApp()) start(item.name());
                }
                done.complete(null);
            });
        });
        return done;
    }

    private static String sentence(String text) {
        String s = Character.toUpperCase(text.charAt(0)) + text.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }

    public Optional<ProfileItem> find(String name) {
        return items.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public List<String> names() {
        return items.stream().map(ProfileItem::name).toList();
    }

    /** Listen ports of the other profiles (so a new one gets a different one). */
    public Set<Integer> listenPortsExcept(String name) {
        return items.stream().filter(i -> !i.name().equals(name)).map(i -> i.profile().listenPort()).collect(Collectors.toSet());
    }

    /**
     * Adds a new profile ({@code previousName} null) or replaces one, saves the file, and restarts
     * the engine if it was running (a renamed profile's old engine is removed).
     */
    public CompletableFuture<Void> save(Profile edited, String previousName) {
        return save(edited, previousName, false);
    }

    /**
     * As {@link #save(Profile, String)}; a new profile ({@code previousName} null) is also started
     * when {@code startNew} (the editor's "Start now"), and its save note says how that went.
     */
    public CompletableFuture<Void> save(Profile edited, String previousName, boolean startNew) {
        Optional<ProfileItem> existing = previousName == null ? Optional.empty() : find(previousName);
        boolean wasActive = existing.map(ProfileItem::active).orElse(false);
        if (existing.isPresent()) {
            ProfileItem item = existing.get();
            item.setProfile(edited);
            item.awaitingRestart = wasActive;
            item.setSaveNote(wasActive ? "Saved. Restarting with the new settings…" : "Saved. The new settings apply when you start it.");
            changed();
            if (!previousName.equals(edited.name())) {
                engines.remove(previousName);
                item.setStatus(ProfileStatus.stopped(edited.name()));
            }
        } else {
            ProfileItem item = new ProfileItem(edited, engines.status(edited.name()));
            item.awaitingFirstStart = startNew;
            item.setSaveNote(startNew ? "Saved. Starting…" : "Saved, not started: press Start when clients should connect.");
            items.add(item);
        }
        CompletableFuture<Void> written = persist();
        if (wasActive || (existing.isEmpty() && startNew)) start(edited.name());
        return written;
    }

    public CompletableFuture<Void> delete(String name) {
        Optional<ProfileItem> item = find(name);
        if (item.isEmpty()) return CompletableFuture.completedFuture(null);
        items.remove(item.get());
        engines.remove(name);
        return persist();
    }

    public void start(String name) {
        find(name).ifPresent(item -> {
            item.setStatus(new ProfileStatus(name, EngineStatus.STARTING, null, List.of()));
            notRunning(item);
            changed();
            engines.start(item.profile());
        });
    }

    public void stop(String name) {
        engines.stop(name);
    }

    public void toggle(String name) {
        find(name).ifPresent(item -> {
            if (item.active()) stop(name);
            else start(name);
        });
    }

    public long activeCount() {
        return items.stream().filter(ProfileItem::active).count();
    }

    private void applyStatus(ProfileStatus status) {
        find(status.profile()).ifPresent(item -> {
            EngineStatus was = item.status().status();
            EngineStatus now = status.status();
            item.setStatus(status);
            if (now != was) staleNote(item);
            if (now == EngineStatus.RUNNING && was != EngineStatus.RUNNING) {
                if (watch != null) watch.started(item.profile());
            } else if (now != EngineStatus.RUNNING && now != EngineStatus.WAITING_FOR_TAILSCALE) {
                notRunning(item);
            }
            noteRestart(item, now);
            changed();
        });
    }

    /**
     * A save note tells how the save went; once the profile's state changed after that (stopped,
     * failed, upstream not verified) it would contradict what the details show, so it goes.
     */
    private static void staleNote(ProfileItem item) {
        if (!item.awaitingRestart && !item.awaitingFirstStart) item.setSaveNote(null);
    }

    /** Nothing to verify while the engine does not run. */
    private void notRunning(ProfileItem item) {
        item.setUpstream(null);
        if (watch != null) watch.stopped(item.name());
    }

    /** After saving a running profile: say whether the engine runs with the new settings. */
    private static void noteRestart(ProfileItem item, EngineStatus now) {
        if (item.awaitingFirstStart) {
            noteFirstStart(item, now);
            return;
        }
        if (!item.awaitingRestart) return;
        switch (now) {
            case RUNNING, WAITING_FOR_TAILSCALE -> {
                item.awaitingRestart = false;
                item.setSaveNote("Saved and applied at " + CLOCK.format(LocalTime.now())
                        + ": the engine restarted with the new settings.");
            }
            case ERROR -> {
                item.awaitingRestart = false;
                item.setSaveNote("Saved, but the engine did not start again with the new settings (see above).");
            }
            case STOPPED -> {
                item.awaitingRestart = false;
                item.setSaveNote(null);
            }
            case STARTING -> { }
        }
    }

    /** After saving a new profile with "Start now": say that it runs, or that it did not start. */
    private static void noteFirstStart(ProfileItem item, EngineStatus now) {
        switch (now) {
            case RUNNING -> {
                item.awaitingFirstStart = false;
                item.setSaveNote("Saved and started at " + CLOCK.format(LocalTime.now()) + ": clients can connect now.");
            }
            case WAITING_FOR_TAILSCALE -> {
                item.awaitingFirstStart = false;
                item.setSaveNote("Saved and started at " + CLOCK.format(LocalTime.now())
                        + ": clients can connect once Tailscale is up.");
            }
            case ERROR -> {
                item.awaitingFirstStart = false;
                item.setSaveNote("Saved, but it did not start (see above).");
            }
            case STOPPED, STARTING -> { }
        }
    }

    // The list is copied on the FX thread; the write happens in order on the writer.
    private CompletableFuture<Void> persist() {
        List<Profile> snapshot = new ArrayList<>(items.stream().map(ProfileItem::profile).toList());
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.execute(() -> {
            try {
                storage.save(snapshot);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                fx.execute(() -> problem.set("Your profiles could not be saved: " + e.getMessage()));
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
