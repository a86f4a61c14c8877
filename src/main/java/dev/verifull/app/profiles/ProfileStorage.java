package dev.verifull.app.profiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.verifull.profile.Profile;

/** Loads and saves the profiles file. Both calls block: run them off the FX thread. */
public interface ProfileStorage {
    /**
     * @param problem  what was wrong with the file (corrupt, newer schema), or null
     * @param setAside where the unreadable file was kept, or null
     */
    record Loaded(List<Profile> profiles, String problem, Path setAside) {
        public Loaded {
            profiles = profiles == null ? List.of() : List.copyOf(profiles);
        }
    }

    Loaded load() throws IOException;

    void save(List<Profile> profiles) throws IOException;
}
