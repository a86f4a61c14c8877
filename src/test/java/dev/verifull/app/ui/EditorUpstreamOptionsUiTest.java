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
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.input.KeyCode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.app.MemoryProfileStorage;
import dev.verifull.app.TestTools;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;

/** "Keep ready" (the warm upstream spinner) and "Low latency" (busy polling) in the editor, through to the saved profile. */
class EditorUpstreamOptionsUiTest {
    @TempDir Path base;
    private final MemoryProfileStorage storage = new MemoryProfileStorage();
    private FxHarness app;
    private Parent editor;

    private void open(Runnable openEditor) throws Exception {
        TestTools tools = new TestTools(base);
        tools.ioThreads = 4;
        app = new FxHarness(base, storage, tools);
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

    /** Opens the collapsed "Advanced" section, where these settings live, with a click on its title. */
    private void openAdvanced() throws Exception {
        TitledPane advanced = node("#advancedPane");
        if (app.fx(advanced::isExpanded)) return;
        app.scrollIntoView(advanced);
        app.robot.clickOn(advanced.lookup(".title"));
        app.waitUntil(advanced::isExpanded);
    }

    /** Up or down arrow keys on the focused spinner, as a keyboard user steps it. */
    private void press(Spinner<Integer> spinner, KeyCode key, int times) throws Exception {
        app.fx(spinner::requestFocus);
        app.waitUntil(spinner::isFocused);
        for (int i = 0; i < times; i++) app.robot.type(key);
    }

    /** Space on the focused check box, as a keyboard user ticks it. */
    private void toggle(CheckBox box) throws Exception {
        app.fx(box::requestFocus);
        app.waitUntil(box::isFocused);
        app.robot.type(KeyCode.SPACE);
    }

    /** Fills in the least a profile needs, saves it, and returns what was stored. */
    private Profile saveAsNewProfile() throws Exception {
        app.fx(() -> {
            ((TextField) node("#nameField")).setText("orders");
            ((TextField) node("#hostField")).setText("db.example.com");
            ((RadioButton) node("#systemTrustRadio")).setSelected(true);
        });
        Button save = node("#saveButton");
        app.waitUntil(() -> !save.isDisabled());
        app.robot.clickOn(save);
        app.waitUntil(() -> !storage.last().isEmpty());
        return storage.last().get(0);
    }

    /** Waits for the profile's details pane to show a fact. */
    private void waitForDetail(String text) throws Exception {
        app.waitUntil(() -> app.robot.lookup(n -> n instanceof Label l && text.equals(l.getText())).tryQuery().isPresent());
    }

    @Test
    void aNewProfileStartsOffAndSavesTheCountChosenWithTheSpinner() throws Exception {
        open(() -> app.window.actions().newProfile());
        assertFalse(app.fx(() -> ((TitledPane) node("#advancedPane")).isExpanded()), "a new profile's advanced settings start collapsed");
        openAdvanced();
        Spinner<Integer> spinner = node("#warmSpinner");
        assertEquals(0, spinner.getValue());
        assertEquals("Off: each session connects to the server and verifies it when its client arrives.", visibleText("#warmSummary"));

        press(spinner, KeyCode.UP, 2);
        app.waitUntil(() -> spinner.getValue() == 2);
        assertEquals("On this computer: 8 connections to the server kept open and verified (2 on each of Verifull's 4 engine threads).",
                visibleText("#warmSummary"));
        press(spinner, KeyCode.UP, 9);
        app.waitUntil(() -> spinner.getValue() == 8);
        assertEquals("8", app.fx(() -> spinner.getEditor().getText()), "the arrows stop at the limit");
        press(spinner, KeyCode.DOWN, 6);
        app.waitUntil(() -> spinner.getValue() == 2);
        assertNull(visibleText("#warm-upstreams-error"));

        assertEquals(2, saveAsNewProfile().warmUpstreams());
        // the profile's details list it with the upstream facts
        waitForDetail("2 verified connections per I/O thread");
    }

    @Test
    void aHandEditedCountOutsideTheRangeIsShownWithItsMessageUntilStepped() throws Exception {
        storage.toLoad = new ProfileStore.LoadResult(List.of(profile().name("orders").warmUpstreams(12).build()), null, null);
        open(() -> app.window.actions().edit(app.services.library().find("orders").orElseThrow()));
        Spinner<Integer> spinner = node("#warmSpinner");
        assertTrue(app.fx(() -> ((TitledPane) node("#advancedPane")).isExpanded()), "a setting with a problem opens the section");
        assertEquals(12, spinner.getValue(), "shown as it is, not quietly changed");
        assertEquals("Keep 0–8 connections ready: each one holds a server connection slot", visibleText("#warm-upstreams-error"));
        assertTrue(spinner.getStyleClass().contains("invalid"));
        Button save = node("#saveButton");
        assertTrue(save.isDisabled());
        assertEquals("To save, fix: connections kept ready", ((Label) node("#footerHint")).getText());

        press(spinner, KeyCode.DOWN, 1);
        app.waitUntil(() -> spinner.getValue() == 8);
        app.waitUntil(() -> !save.isDisabled());
        assertNull(visibleText("#warm-upstreams-error"));
        assertFalse(spinner.getStyleClass().contains("invalid"));
        app.robot.clickOn(save);
        app.waitUntil(() -> !storage.last().isEmpty());
        Profile saved = storage.last().get(0);
        assertEquals(8, saved.warmUpstreams());
    }

    @Test
    void lowLatencyIsOnForANewProfileAndSavesFiftyMicroseconds() throws Exception {
        open(() -> app.window.actions().newProfile());
        openAdvanced();
        CheckBox box = node("#lowLatencyCheck");
        assertTrue(box.isSelected(), "on by default, as in serve");
        toggle(box);
        app.waitUntil(() -> !box.isSelected());
        toggle(box);
        app.waitUntil(box::isSelected);
        assertNull(visibleText("#busy-poll-error"));

        assertEquals(50, saveAsNewProfile().busyPollMicros());
        waitForDetail("own I/O threads look for traffic 50 µs before sleeping");
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
