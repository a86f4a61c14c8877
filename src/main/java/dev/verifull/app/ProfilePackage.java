package dev.verifull.app;

import java.nio.file.Path;

import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.app.profiles.ProfileTools;

/** The real profile store and tools for the app (wired to the profile and manager packages). */
final class ProfilePackage {
    private ProfilePackage() {}

    static ProfileStorage storage(Path baseDir) {
        throw new UnsupportedOperationException("the profile package is not merged yet");
    }

    static ProfileTools tools(Path baseDir) {
        throw new UnsupportedOperationException("the profile package is not merged yet");
    }
}
