package dev.verifull.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.verifull.app.ui.Appearance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UiSettingsStoreTest {
    @TempDir Path dir;

    @Test
    void windowBoundsAndAppearanceSurviveARestart() throws Exception {
        UiSettingsStore store = new UiSettingsStore(dir);
        assertEquals(UiSettings.DEFAULTS, store.load());
        UiSettings s = UiSettings.DEFAULTS.withBounds(100, 80, 1100, 700, false).withAppearance(Appearance.DARK);
        store.save(s);
        assertEquals(s, new UiSettingsStore(dir).load());
    }

    @Test
    void theTrayExplanationIsRememberedAndAnOlderFileReadsNotYet() throws Exception {
        Files.writeString(dir.resolve("ui.json"), "{\"x\": 10, \"y\": 20, \"width\": 900, \"height\": 600, \"maximized\": false}");
        UiSettings old = new UiSettingsStore(dir).load();
        assertEquals(900, old.width());
        assertEquals(false, old.trayExplained());
        new UiSettingsStore(dir).save(old.withTrayExplained());
        assertEquals(true, new UiSettingsStore(dir).load().trayExplained());
    }

    @Test
    void aBrokenSettingsFileMeansDefaults() throws Exception {
        Files.writeString(dir.resolve("ui.json"), "{ not json");
        assertEquals(UiSettings.DEFAULTS, new UiSettingsStore(dir).load());
    }
}
