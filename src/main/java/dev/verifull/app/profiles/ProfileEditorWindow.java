package dev.verifull.app.profiles;

import java.util.function.Consumer;

import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

import dev.verifull.app.ui.Theme;
import dev.verifull.app.ui.Views;

/** The editor's own window, modal to the main window. */
public final class ProfileEditorWindow {
    private ProfileEditorWindow() {}

    public static Stage open(Window owner, ProfileEditorViewModel vm, FilePicker files, Theme theme,
                             Consumer<ProfileEditorViewModel> onSave) {
        Stage stage = new Stage();
        Parent root = Views.load(ProfileEditorController.class, "profile-editor.fxml",
                type -> new ProfileEditorController(vm, files, onSave, stage::close));
        Scene scene = new Scene(root);
        theme.register(scene);
        // Ctrl+W closes this window like the main one; Esc is the Cancel button
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN), stage::close);
        stage.setScene(scene);
        stage.setTitle((vm.isNew() ? "New profile" : "Edit " + vm.originalName()) + " — Verifull");
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        stage.show();
        return stage;
    }
}
