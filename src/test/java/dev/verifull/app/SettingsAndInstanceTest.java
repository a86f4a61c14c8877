package dev.verifull.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsAndInstanceTest {
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
    void aBrokenSettingsFileMeansDefaults() throws Exception {
        Files.writeString(dir.resolve("ui.json"), "{ not json");
        assertEquals(UiSettings.DEFAULTS, new UiSettingsStore(dir).load());
    }

    @Test
    void aSecondLaunchTellsTheFirstToShowItsWindow() throws Exception {
        SingleInstance first = SingleInstance.claim(dir);
        assertNotNull(first);
        CountDownLatch shown = new CountDownLatch(1);
        first.onShow(shown::countDown);
        assertNull(SingleInstance.claim(dir), "the second launch hands over");
        assertTrue(shown.await(5, TimeUnit.SECONDS));
        first.close();
        SingleInstance again = SingleInstance.claim(dir);
        assertNotNull(again, "after the first quits, a launch runs again");
        again.close();
    }
}
