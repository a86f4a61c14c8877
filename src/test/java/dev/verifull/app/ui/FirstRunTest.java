package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.app.TestTools;
import dev.verifull.app.profiles.CaFileEntry;
import dev.verifull.app.profiles.ProfileItem;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.ProfileStore;
import dev.verifull.profile.Profile;
import dev.verifull.testing.TestCa;

/** First run: the empty state, then a profile created with a CA file through the editor. */
class FirstRunTest {
    @TempDir Path base;
    private FxHarness app;
    private ProfileStore store;

    @BeforeEach
    void start() throws Exception {
        store = ProfileStore.open(AppDataDir.profiles(base));
        app = new FxHarness(base, ProfileStorage.of(store), new TestTools(base));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void theEmptyStateLeadsToANewProfileWithACaFile() throws Exception {
        Label title = app.lookup(".empty-title");
        assertEquals("No profiles yet", title.getText());
        Button add = app.lookup("#addFirstButton");
        assertTrue(add.isVisible());

        app.robot.clickOn("#addFirstButton");
        app.waitUntil(() -> app.window.actions().editorWindow().isPresent());
        Stage editor = app.window.actions().editorWindow().orElseThrow();
        Button save = app.robot.from(editor.getScene().getRoot()).lookup("#saveButton").query();
        assertTrue(save.isDisabled(), "nothing filled in yet");

        app.robot.clickOn("#nameField").write("orders");
        app.robot.clickOn("#hostField").write("localhost");
        app.filesToPick.add(TestCa.shared().caFile());
        app.robot.clickOn("#addCaButton");
        ListView<CaFileEntry> caList = app.lookup("#caList");
        app.waitUntil(() -> caList.getItems().size() == 1 && !caList.getItems().get(0).certificates().isEmpty());
        assertTrue(caList.getItems().get(0).certificates().get(0).subject().contains("Verifull Test Root"));
        // the list shows the subject, issuer, validity and fingerprint of the file's certificate
        app.waitUntil(() -> app.robot.lookup(n -> n instanceof Label l && l.getText() != null && l.getText().startsWith("Subject: ")
                && l.getText().contains("Verifull Test Root")).tryQuery().isPresent());
        assertTrue(app.robot.lookup(n -> n instanceof Label l && l.getText() != null && l.getText().startsWith("SHA-256 "))
                .tryQuery().isPresent());

        app.waitUntil(() -> !save.isDisabled());
        app.robot.clickOn(save);
        app.waitUntil(() -> app.window.actions().editorWindow().isEmpty());
        app.waitUntil(() -> !store.load().profiles().isEmpty());
        Profile saved = store.load().profiles().get(0);
        assertEquals("orders", saved.name());
        assertEquals(1, saved.caFiles().size());
        assertEquals(AppDataDir.certificates(base), Path.of(saved.caFiles().get(0)).getParent(),
                "the profile points at the copy in the app-data dir");

        ListView<ProfileItem> list = app.lookup("#profileList");
        assertEquals("orders", app.fx(() -> list.getSelectionModel().getSelectedItem().name()));
        Label name = app.lookup("#nameLabel");
        assertEquals("orders", name.getText());
        assertFalse(app.lookup("#emptyState").isVisible());
    }

    @Test
    void ctrlNOpensTheEditorAndEscapeClosesIt() throws Exception {
        app.robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        app.waitUntil(() -> app.window.actions().editorWindow().isPresent());
        app.robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        app.waitUntil(() -> app.window.actions().editorWindow().isEmpty());
        assertTrue(Window.getWindows().stream().noneMatch(w -> w != app.window.stage() && w.isShowing()));
    }
}
