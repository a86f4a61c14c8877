package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.app.TestTools;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;

/** A damaged profiles.json: the app starts, says so in a banner, and the file is kept, not overwritten. */
class CorruptProfilesUiTest {
    private static final String GARBAGE = "{ \"schema\": 1, \"profiles\": [ { \"name\": \"orders\", ";

    @TempDir Path base;
    private FxHarness app;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(base);
        Files.writeString(AppDataDir.profiles(base), GARBAGE);
        app = new FxHarness(base, ProfileStorage.of(ProfileStore.open(AppDataDir.profiles(base))), new TestTools(base));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void theBannerExplainsAndTheFileIsKept() throws Exception {
        HBox banner = app.lookup("#problemBanner");
        app.waitUntil(banner::isVisible);
        String text = ((Label) app.lookup("#problemText")).getText();
        assertTrue(text.startsWith("Profiles.json "), text);
        assertTrue(text.contains("kept as "), text);
        assertEquals("No profiles yet", ((Label) app.lookup(".empty-title")).getText());

        Path aside = keptFile();
        assertEquals(GARBAGE, Files.readString(aside));

        // working on: a new profile is saved to a fresh file, the kept one stays as it was
        app.fx(() -> app.services.library().save(Profile.blank("orders", 6432).withName("orders"), null));
        app.waitUntil(() -> Files.exists(AppDataDir.profiles(base)));
        assertEquals(GARBAGE, Files.readString(aside));

        app.robot.clickOn("Dismiss");
        app.waitUntil(() -> !banner.isVisible());
    }

    private Path keptFile() throws Exception {
        try (Stream<Path> files = Files.list(base)) {
            List<Path> kept = files.filter(p -> p.getFileName().toString().startsWith("profiles.json")
                    && !p.equals(AppDataDir.profiles(base))).toList();
            assertEquals(1, kept.size(), kept.toString());
            return kept.get(0);
        }
    }
}
