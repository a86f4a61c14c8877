package dev.verifull.app.ui;

import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

/**
 * The window's keyboard shortcuts, in one place: what the scene listens for and what labels,
 * tooltips and the shortcuts list say. The shortcut key is Ctrl, and ⌘ on macOS, and the texts
 * come from JavaFX ({@link KeyCombination#getDisplayText()}) so they say so there.
 */
public enum Shortcuts {
    NEW_PROFILE(shortcut(KeyCode.N), "New profile"),
    EDIT(shortcut(KeyCode.E), "Edit the selected profile"),
    TOGGLE(shortcut(KeyCode.ENTER), "Start or stop the selected profile"),
    DELETE(new KeyCodeCombination(KeyCode.DELETE), "Delete the selected profile (in the list)"),
    PROFILES(shortcut(KeyCode.DIGIT1), "Profiles"),
    SESSIONS(shortcut(KeyCode.DIGIT2), "Sessions"),
    AUDIT(shortcut(KeyCode.DIGIT3), "Audit log"),
    FILTER(shortcut(KeyCode.F), "Filter sessions or the audit log"),
    RELOAD(new KeyCodeCombination(KeyCode.F5), "Reload the audit log"),
    CLOSE(shortcut(KeyCode.W), "Close the window (Verifull keeps running in the tray)"),
    QUIT(shortcut(KeyCode.Q), "Quit Verifull");

    private final KeyCombination keys;
    private final String description;

    Shortcuts(KeyCombination keys, String description) {
        this.keys = keys;
        this.description = description;
    }

    private static KeyCombination shortcut(KeyCode code) {
        return new KeyCodeCombination(code, KeyCombination.SHORTCUT_DOWN);
    }

    public KeyCombination keys() {
        return keys;
    }

    public String description() {
        return description;
    }

    /** e.g. {@code Ctrl+N}, on macOS {@code ⌘N}. */
    public String text() {
        return keys.getDisplayText();
    }

    /** A tooltip: {@code New profile (Ctrl+N)}. */
    public String tip(String what) {
        return what + " (" + text() + ")";
    }
}
