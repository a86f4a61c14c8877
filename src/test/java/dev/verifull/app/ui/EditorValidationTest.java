package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.app.MemoryProfileStorage;
import dev.verifull.app.TestTools;

/** Messages appear under the field being typed in, Save follows validity, the footer names what is left. */
class EditorValidationTest {
    @TempDir Path base;
    private FxHarness app;
    private Parent editor;

    @BeforeEach
    void start() throws Exception {
        app = new FxHarness(base, new MemoryProfileStorage(), new TestTools(base));
        app.fx(() -> app.window.actions().newProfile());
        app.waitUntil(() -> app.window.actions().editorWindow().isPresent());
        editor = app.fx(() -> app.window.actions().editorWindow().orElseThrow().getScene().getRoot());
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private <T extends javafx.scene.Node> T node(String id) {
        return app.robot.from(editor).lookup(id).query();
    }

    private String message(String id) throws Exception {
        Label l = node(id);
        return app.fx(() -> l.isVisible() ? l.getText() : null);
    }

    @Test
    void eachFieldSaysWhatIsWrongAndSaveWaitsUntilNothingIs() throws Exception {
        Button save = node("#saveButton");
        assertTrue(save.isDisabled());
        assertEquals(null, message("#name-error"), "untouched fields stay quiet");

        // host:port is split, not flagged (EditorFirstProfileUiTest); a colon with no port is a mistake to name
        app.robot.clickOn((javafx.scene.Node) node("#hostField")).write("db.example.com:");
        app.waitUntil(() -> "Put the port in the port field, not after the host".equals(message("#upstream-host-error")));
        TextField port = node("#portField");
        app.robot.doubleClickOn(port).write("54x2");
        app.waitUntil(() -> "Port must be a number, 1–65535".equals(message("#upstream-port-error")));
        assertTrue(port.getStyleClass().contains("invalid"));
        Label footer = node("#footerHint");
        assertTrue(footer.getText().startsWith("To save, fix: "), footer.getText());
        assertTrue(footer.getText().contains("port"), footer.getText());

        app.fx(() -> {
            ((TextField) node("#hostField")).setText("db.example.com");
            port.setText("5432");
            ((TextField) node("#nameField")).setText("orders");
            app.robot.from(editor).lookup("#systemTrustRadio").queryAs(javafx.scene.control.RadioButton.class).setSelected(true);
        });
        app.waitUntil(() -> !save.isDisabled());
        assertEquals(null, message("#upstream-host-error"));
        assertFalse(port.getStyleClass().contains("invalid"));
        assertEquals("", footer.getText());
    }

    @Test
    void accessRulesAreCheckedForTailnetProfiles() throws Exception {
        app.fx(() -> app.robot.from(editor).lookup("#tailnetRadio").queryAs(javafx.scene.control.RadioButton.class).setSelected(true));
        TextField tags = node("#allowTagsField");
        app.fx(() -> {
            tags.requestFocus();
            tags.setText("tag:ci!");
        });
        app.waitUntil(() -> message("#allow-tags-error") != null);
        assertTrue(message("#allow-tags-error").startsWith("Tags look like tag:name"), message("#allow-tags-error"));
        TextField users = node("#allowUsersField");
        app.fx(() -> {
            users.requestFocus();
            users.setText("alice");
        });
        app.waitUntil(() -> message("#allow-users-error") != null);
    }
}
