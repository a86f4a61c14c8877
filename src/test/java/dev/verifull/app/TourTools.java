package dev.verifull.app;

import java.nio.file.Path;

import dev.verifull.app.profiles.ProfileTools;

/** The tools the screenshot tour uses (the stand-in until the profile package is merged). */
final class TourTools {
    private TourTools() {}

    static ProfileTools create(Path base) {
        return ProfileTools.forAppData(base);
    }
}
