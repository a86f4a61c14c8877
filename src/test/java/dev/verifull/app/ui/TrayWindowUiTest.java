package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.verifull.app.TestTools;
import dev.verifull.app.UiSettingsStore;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;
import dev.verifull.testing.TestCa;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window with a tray: the first close says once that Verifull keeps running there; shortcuts
 * are shown as JavaFX writes them for this OS (⌘ on macOS); every control can be named by a
 * screen reader, and the main ones have mnemonics.
 */
class TrayWindowUiTest {
    @TempDir Path base;
    private FxHarness app;

    @BeforeEach
    void start() throws Exception {
        ProfileStore store = ProfileStore.open(AppDataDir.profiles(base));
        store.save(List.of(new Profile("orders", "localhost", 5432, null, List.of(TestCa.shared().caFile().toString()),
                false, null, null, false, false, 6432, Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null,
                "postgres", "postgres", false, "jdk", 200, 0, 0)));
        app = new FxHarness(base, ProfileStorage.of(store), new TestTools(base), null, true);
        app.waitUntil(() -> app.services.library().items().size() == 1);
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private void closeWithTheShortcut() {
        app.robot.clickOn("#profileList");
        app.robot.press(KeyCode.CONTROL, KeyCode.W).release(KeyCode.W, KeyCode.CONTROL);
    }

    @Test
    void theFirstCloseSaysOnceThatVerifullKeepsRunningInTheTray() throws Exception {
        closeWithTheShortcut();
        app.waitUntil(() -> app.exists("#tray-explained"));
        assertTrue(app.robot.lookup("Verifull keeps running in the tray").tryQuery().isPresent());
        app.robot.clickOn("OK");
        app.waitUntil(() -> !app.window.stage().isShowing());
        app.waitUntil(() -> new UiSettingsStore(base).load().trayExplained());

        app.fx(() -> app.window.bringToFront());
        app.waitUntil(() -> app.window.stage().isShowing());
        closeWithTheShortcut();
        app.waitUntil(() -> !app.window.stage().isShowing());
        assertEquals(0, Window.getWindows().stream().filter(Window::isShowing).count(), "no second explanation");
    }

    @Test
    void shortcutsAreShownAsTheOsWritesThem() throws Exception {
        app.fx(() -> app.window.showShortcuts());
        app.waitUntil(() -> app.exists("#shortcut-new_profile"));
        for (Shortcuts s : Shortcuts.values()) {
            Label key = app.lookup("#shortcut-" + s.name().toLowerCase(java.util.Locale.ROOT));
            assertEquals(s.keys().getDisplayText(), key.getText(), "JavaFX's text: ⌘ on macOS, Ctrl+ elsewhere");
        }
        String expected = System.getProperty("os.name").startsWith("Mac") ? "⌘N" : "Ctrl+N";
        assertEquals(expected, Shortcuts.NEW_PROFILE.text());
        assertTrue(app.fx(() -> ((ButtonBase) app.lookup("#newProfileButton")).getTooltip().getText()).endsWith("(" + expected + ")"));
        assertTrue(app.fx(() -> ((TextField) app.lookup("#filterField")).getPromptText()).contains(Shortcuts.FILTER.text()));
    }

    @Test
    void everyControlHasANameAndTheMainOnesHaveMnemonics() throws Exception {
        app.robot.clickOn("#profileList");
        app.fx(() -> app.window.controller().select("orders"));
        for (Runnable view : List.<Runnable>of(() -> app.window.controller().showProfiles(),
                () -> app.window.controller().showSessions(), () -> app.window.controller().showAudit())) {
            app.fx(view);
            List<String> unnamed = app.fx(() -> {
                List<String> out = new ArrayList<>();
                collectUnnamed(app.window.stage().getScene().getRoot(), out);
                return out;
            });
            assertEquals(List.of(), unnamed, "controls a screen reader could not name");
        }
        // Alt+letter works like a click
        app.fx(() -> app.window.controller().showProfiles());
        app.robot.press(KeyCode.ALT, KeyCode.S).release(KeyCode.S, KeyCode.ALT);
        app.waitUntil(() -> app.lookup("#sessions-table").isVisible());
        app.robot.press(KeyCode.ALT, KeyCode.A).release(KeyCode.A, KeyCode.ALT);
        app.waitUntil(() -> app.lookup("#audit-table").isVisible());
        for (String id : List.of("#profilesNav", "#sessionsNav", "#auditNav", "#newProfileButton", "#editButton", "#followToggle")) {
            assertTrue(app.fx(() -> ((Labeled) app.lookup(id)).isMnemonicParsing() && ((Labeled) app.lookup(id)).getText().contains("_")),
                    id + " has a mnemonic");
        }
    }

    /** Visible buttons, fields and boxes without text and without an accessible text. */
    private static void collectUnnamed(Node node, List<String> out) {
        if (!node.isVisible()) return;
        if (node instanceof ButtonBase || node instanceof TextField || node instanceof ComboBoxBase<?>) {
            Control c = (Control) node;
            String text = c instanceof Labeled l ? l.getText() : null;
            boolean named = (text != null && !text.isBlank()) || (c.getAccessibleText() != null && !c.getAccessibleText().isBlank());
            if (!named) out.add(c.getClass().getSimpleName() + (c.getId() != null ? "#" + c.getId() : "") + " " + c.getStyleClass());
            if (!(node instanceof ButtonBase)) return; // a field's or box's own insides are named by it
        }
        if (node instanceof Parent p) for (Node child : p.getChildrenUnmodifiable()) collectUnnamed(child, out);
    }
}
