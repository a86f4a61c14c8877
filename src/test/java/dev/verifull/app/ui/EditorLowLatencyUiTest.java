package dev.verifull.app.ui;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.app.MemoryProfileStorage;
import dev.verifull.app.TestTools;
import dev.verifull.profile.ProfileStore;

/** "Low latency": the busy-poll check box in the editor, through to the saved profile and its details. */
class EditorLowLatencyUiTest {
    @TempDir Path base;
    private final MemoryProfileStorage storage = new MemoryProfileStorage();
    private FxHarness app;
    private Parent editor;

    private void open(Runnable openEditor) throws Exception {
        app = new FxHarness(base, storage, new TestTools(base));
        app.fx(openEditor);
        app.waitUntil(() -> app.window.actions().editorWindow().isPresent());
        editor = app.fx(() -> app.window.actions().editorWindow().orElseThrow().getScene().getRoot());
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) app.close();
    }

    private <T extends Node> T node(String id) {
        return app.robot.from(editor).lookup(id).query();
    }

    private String visibleText(String id) throws Exception {
        Label l = node(id);
        return app.fx(() -> l.isVisible() ? l.getText() : null);
    }

    /** Space on the focused check box, as a keyboard user ticks it. */
    private void toggle(CheckBox box) throws Exception {
        app.fx(box::requestFocus);
        app.waitUntil(box::isFocused);
        app.robot.type(KeyCode.SPACE);
    }

    @Test
    void aNewProfileStartsOffAndTickingTheBoxSavesFiftyMicroseconds() throws Exception {
        open(() -> app.window.actions().newProfile());
        CheckBox box = node("#lowLatencyCheck");
        assertFalse(box.isSelected());
        toggle(box);
        app.waitUntil(box::isSelected);
        assertNull(visibleText("#busy-poll-error"));

        app.fx(() -> {
            ((TextField) node("#nameField")).setText("orders");
            ((TextField) node("#hostField")).setText("db.example.com");
            ((RadioButton) node("#systemTrustRadio")).setSelected(true);
        });
        Button save = node("#saveButton");
        app.waitUntil(() -> !save.isDisabled());
        app.robot.clickOn(save);
        app.waitUntil(() -> !storage.last().isEmpty());
        assertEquals(50, storage.last().get(0).busyPollMicros());
        app.waitUntil(() -> app.robot.lookup(n -> n instanceof Label l
                && "own I/O threads look for traffic 50 µs before sleeping".equals(l.getText())).tryQuery().isPresent());
    }

    @Test
    void aHandEditedPollTimeOutsideTheRangeIsShownUntilTheBoxIsCleared() throws Exception {
        storage.toLoad = new ProfileStore.LoadResult(List.of(profile().name("orders").busyPollMicros(5000).build()), null, null);
        open(() -> app.window.actions().edit(app.services.library().find("orders").orElseThrow()));
        CheckBox box = node("#lowLatencyCheck");
        assertTrue(box.isSelected());
        assertEquals("Look for traffic 0–1000 µs before sleeping (0 = off)", visibleText("#busy-poll-error"));
        assertTrue(box.getStyleClass().contains("invalid"));
        Button save = node("#saveButton");
        assertTrue(save.isDisabled());
        assertEquals("To save, fix: low latency", ((Label) node("#footerHint")).getText());

        toggle(box);
        app.waitUntil(() -> !save.isDisabled());
        assertNull(visibleText("#busy-poll-error"));
        assertFalse(box.getStyleClass().contains("invalid"));
        app.robot.clickOn(save);
        app.waitUntil(() -> !storage.last().isEmpty());
        assertEquals(0, storage.last().get(0).busyPollMicros());
    }
}
