package dev.verifull.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;

/** Profiles kept in memory, for tests that need a save to fail or to count writes. */
public final class MemoryProfileStorage implements ProfileStorage {
    public volatile ProfileStore.LoadResult toLoad = new ProfileStore.LoadResult(List.of(), null, null);
    public final List<List<Profile>> saved = new java.util.concurrent.CopyOnWriteArrayList<>();
    public volatile IOException failSave;

    @Override
    public ProfileStore.LoadResult load() {
        return toLoad;
    }

    @Override
    public void save(List<Profile> profiles) throws IOException {
        if (failSave != null) throw failSave;
        saved.add(new ArrayList<>(profiles));
    }

    public List<Profile> last() {
        return saved.isEmpty() ? List.of() : saved.get(saved.size() - 1);
    }
}
