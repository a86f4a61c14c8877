package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javafx.scene.input.KeyCode;
import javafx.stage.Window;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.app.TestTools;
import dev.verifull.app.UiSettings;
import dev.verifull.app.UiSettingsStore;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.manager.EngineStatus;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;

/** Without a tray, closing asks before stopping running engines; the window remembers itself and its appearance. */
class WindowBehaviourUiTest {
    @TempDir Path base;
    private FxHarness app;

    @BeforeEach
    void start() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        ProfileStore store = ProfileStore.open(AppDataDir.profiles(base));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        store.save(List.of(new Profile("orders", "localhost", pg.port(), null, List.of(TestCa.shared().caFile().toString()),
                false, null, null, false, false, port, Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null,
                "postgres", "postgres", true, "jdk", 200, 0, 0)));
        app = new FxHarness(base, ProfileStorage.of(store), new TestTools(base));
        app.waitUntil(() -> app.services.library().activeCount() == 1
                && app.services.library().items().get(0).status().status() == EngineStatus.RUNNING);
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void ctrlWWithRunningEnginesAndNoTrayAsksFirst() throws Exception {
        app.robot.clickOn("#profileList");
        app.robot.press(KeyCode.CONTROL, KeyCode.W).release(KeyCode.W, KeyCode.CONTROL);
        app.waitUntil(() -> Window.getWindows().size() == 2);
        assertTrue(app.robot.lookup("A profile is running").tryQuery().isPresent());
        app.robot.clickOn("Cancel");
        app.waitUntil(() -> Window.getWindows().size() == 1);
        assertTrue(app.window.stage().isShowing(), "still open");
        assertEquals(EngineStatus.RUNNING, app.fx(() -> app.services.library().items().get(0).status().status()));

        // closing remembered where the window was
        app.waitUntil(() -> Files.exists(base.resolve("ui.json")));
        UiSettings saved = new UiSettingsStore(base).load();
        assertEquals(app.window.stage().getWidth(), saved.width(), 1.0);
    }

    @Test
    void appearanceFollowsTheMenuAndIsRemembered() throws Exception {
        app.fx(() -> app.services.theme().appearanceProperty().set(Appearance.DARK));
        app.waitUntil(() -> app.window.stage().getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("theme-dark.css")));
        app.waitUntil(() -> new UiSettingsStore(base).load().appearance() == Appearance.DARK);
        app.fx(() -> app.services.theme().appearanceProperty().set(Appearance.LIGHT));
        app.waitUntil(() -> app.window.stage().getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("theme-light.css")));
    }
}
