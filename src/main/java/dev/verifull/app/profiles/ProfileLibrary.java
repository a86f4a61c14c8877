package dev.verifull.app.profiles;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import dev.verifull.app.ui.SerialExecutor;
import dev.verifull.manager.ProfileStatus;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;

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

    public ProfileLibrary(ProfileStorage storage, EngineControl engines, Executor background, Executor fx) {
        this.storage = storage;
        this.engines = engines;
        this.fx = fx;
        this.background = background;
        this.writer = new SerialExecutor(background);
        engines.addStatusListener(status -> fx.execute(() -> applyStatus(status)));
        items.addListener((javafx.collections.ListChangeListener<ProfileItem>) c -> changed());
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
        Optional<ProfileItem> existing = previousName == null ? Optional.empty() : find(previousName);
        boolean wasActive = existing.map(ProfileItem::active).orElse(false);
        if (existing.isPresent()) {
            ProfileItem item = existing.get();
            item.setProfile(edited);
            changed();
            if (!previousName.equals(edited.name())) {
                engines.remove(previousName);
                item.setStatus(ProfileStatus.stopped(edited.name()));
            }
        } else {
            items.add(new ProfileItem(edited, engines.status(edited.name())));
        }
        CompletableFuture<Void> written = persist();
        if (wasActive) start(edited.name());
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
            item.setStatus(new ProfileStatus(name, dev.verifull.manager.EngineStatus.STARTING, null, List.of()));
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
            item.setStatus(status);
            changed();
        });
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
