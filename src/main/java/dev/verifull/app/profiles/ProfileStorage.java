package dev.verifull.app.profiles;

import java.io.IOException;
import java.util.List;

import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;

/** Loads and saves the profiles file; both block, so the library calls them off the FX thread. */
public interface ProfileStorage {
    /** Never throws: problems are in the result (the app starts and shows them). */
    ProfileStore.LoadResult load();

    void save(List<Profile> profiles) throws IOException;

    static ProfileStorage of(ProfileStore store) {
        return new ProfileStorage() {
            @Override
            public ProfileStore.LoadResult load() {
                return store.load();
            }

            @Override
            public void save(List<Profile> profiles) throws IOException {
                store.save(profiles);
            }
        };
    }
}
