package dev.verifull.app.profiles;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.verifull.manager.EngineManager;
import dev.verifull.manager.ProfileStatus;
import dev.verifull.profile.Profile;

/** The engine manager as the window drives it; futures complete on background threads. */
public interface EngineControl {
    CompletableFuture<ProfileStatus> start(Profile profile);

    CompletableFuture<ProfileStatus> stop(String profile);

    CompletableFuture<Void> remove(String profile);

    ProfileStatus status(String profile);

    /** Called on a background thread. */
    void addStatusListener(Consumer<ProfileStatus> listener);

    boolean endSession(String profile, long sessionId);

    static EngineControl of(EngineManager manager) {
        return new EngineControl() {
            @Override public CompletableFuture<ProfileStatus> start(Profile profile) { return manager.start(profile); }
            @Override public CompletableFuture<ProfileStatus> stop(String profile) { return manager.stop(profile); }
            @Override public CompletableFuture<Void> remove(String profile) { return manager.remove(profile); }
            @Override public ProfileStatus status(String profile) { return manager.status(profile); }
            @Override public void addStatusListener(Consumer<ProfileStatus> listener) { manager.addStatusListener(listener); }
            @Override public boolean endSession(String profile, long id) { return manager.endSession(profile, id); }
        };
    }
}
