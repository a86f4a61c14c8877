package dev.verifull.app;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.verifull.app.profiles.EngineControl;
import dev.verifull.manager.EngineStatus;
import dev.verifull.manager.ProfileStatus;
import dev.verifull.profile.Profile;

/** Engines that start and stop at once, recording what they were asked. */
public final class FakeEngineControl implements EngineControl {
    public final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, ProfileStatus> statuses = new ConcurrentHashMap<>();
    private final List<Consumer<ProfileStatus>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<ProfileStatus> start(Profile profile) {
        calls.add("start " + profile.name() + ":" + profile.listenPort());
        return CompletableFuture.completedFuture(publish(new ProfileStatus(profile.name(), EngineStatus.RUNNING, null, List.of())));
    }

    @Override
    public CompletableFuture<ProfileStatus> stop(String profile) {
        calls.add("stop " + profile);
        return CompletableFuture.completedFuture(publish(ProfileStatus.stopped(profile)));
    }

    @Override
    public CompletableFuture<Void> remove(String profile) {
        calls.add("remove " + profile);
        statuses.remove(profile);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public ProfileStatus status(String profile) {
        return statuses.getOrDefault(profile, ProfileStatus.stopped(profile));
    }

    @Override
    public void addStatusListener(Consumer<ProfileStatus> listener) {
        listeners.add(listener);
    }

    @Override
    public boolean endSession(String profile, long sessionId) {
        calls.add("end " + profile + "#" + sessionId);
        return true;
    }

    public ProfileStatus publish(ProfileStatus s) {
        statuses.put(s.profile(), s);
        listeners.forEach(l -> l.accept(s));
        return s;
    }
}
