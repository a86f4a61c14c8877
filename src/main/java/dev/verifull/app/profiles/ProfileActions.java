package dev.verifull.app.profiles;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.verifull.app.ui.TailscaleState;
import dev.verifull.app.ui.Theme;
import dev.verifull.profile.Profile;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;
import javafx.stage.Window;

/** New, edit, duplicate, delete, start/stop: shared by the window's buttons, shortcuts and the tray. */
public final class ProfileActions {
    private final ProfileLibrary library;
    private final ProfileTools tools;
    private final Theme theme;
    private final ObservableValue<TailscaleState> tailscale;
    private final FilePicker files;
    private final Executor background;
    private final Executor fx;
    private final Supplier<Window> owner;
    private Consumer<String> onSaved = name -> {};
    private Stage openEditor;
    private ProfileEditorViewModel currentEditorModel;

    public ProfileActions(ProfileLibrary library, ProfileTools tools, Theme theme, ObservableValue<TailscaleState> tailscale,
                          FilePicker files, Executor background, Executor fx, Supplier<Window> owner) {
        this.library = library;
        this.tools = tools;
        this.theme = theme;
        this.tailscale = tailscale;
        this.files = files;
        this.background = background;
        this.fx = fx;
        this.owner = owner;
    }

    /** Told the name of a profile after it was saved (the window selects it). */
    public void setOnSaved(Consumer<String> onSaved) {
        this.onSaved = onSaved;
    }

    public void newProfile() {
        Profile.Binding binding = tailscale.getValue() != null && tailscale.getValue().running()
                ? Profile.Binding.TAILNET : Profile.Binding.LOCAL_ONLY;
        openEditor(new ProfileEditorViewModel(tools, null, null, library.names(), library.listenPortsExcept(null),
                binding, background, fx));
    }

    public void edit(ProfileItem item) {
        List<String> others = library.names().stream().filter(n -> !n.equals(item.name())).toList();
        openEditor(new ProfileEditorViewModel(tools, item.profile(), item.name(), others,
                library.listenPortsExcept(item.name()), item.profile().binding(), background, fx));
    }

    /** From the details' "Use NAME as the server name": the editor with that name set, testing it. */
    public void editWithServerName(ProfileItem item, String serverName) {
        List<String> others = library.names().stream().filter(n -> !n.equals(item.name())).toList();
        ProfileEditorViewModel vm = new ProfileEditorViewModel(tools, item.profile(), item.name(), others,
                library.listenPortsExcept(item.name()), item.profile().binding(), background, fx);
        if (openEditor != null && openEditor.isShowing()) {
            openEditor.toFront();
            return;
        }
        vm.serverName.set(serverName);
        openEditor(vm);
        vm.testUpstream();
    }

    /** "Test upstream…" in the details' menu: the editor, testing the saved settings at once. */
    public void editAndTest(ProfileItem item) {
        if (openEditor != null && openEditor.isShowing()) {
            openEditor.toFront();
            return;
        }
        edit(item);
        if (openEditor != null) currentEditorModel.testUpstream();
    }

    /** "Test again" for a running profile's upstream. */
    public void checkUpstream(ProfileItem item) {
        library.checkUpstream(item.name());
    }

    public void duplicate(ProfileItem item) {
        Profile copy = item.profile().withName(uniqueName(item.name() + " copy"));
        openEditor(new ProfileEditorViewModel(tools, copy, null, library.names(), library.listenPortsExcept(null),
                copy.binding(), background, fx));
    }

    private String uniqueName(String base) {
        String name = base;
        for (int i = 2; library.find(name).isPresent(); i++) name = base + " " + i;
        return name;
    }

    public void delete(ProfileItem item) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        confirm.initOwner(owner.get());
        confirm.setTitle("Delete profile");
        confirm.setHeaderText("Delete “" + item.name() + "”?");
        confirm.setContentText((item.active() ? "Its engine stops and open sessions end. " : "")
                + "Imported certificate files stay in the app-data folder; the audit log keeps its records.");
        ButtonType delete = new ButtonType("Delete", ButtonBar.ButtonData.OK_DONE);
        confirm.getButtonTypes().setAll(ButtonType.CANCEL, delete);
        theme.register(confirm.getDialogPane().getScene());
        Optional<ButtonType> answer = confirm.showAndWait();
        if (answer.isPresent() && answer.get() == delete) library.delete(item.name());
    }

    public void toggle(ProfileItem item) {
        library.toggle(item.name());
    }

    private void openEditor(ProfileEditorViewModel vm) {
        if (openEditor != null && openEditor.isShowing()) {
            openEditor.toFront();
            return;
        }
        currentEditorModel = vm;
        openEditor = ProfileEditorWindow.open(owner.get(), vm, files, theme, saved -> {
            Profile profile = saved.toProfile();
            library.save(profile, saved.originalName(), saved.isNew() && saved.startNow.get());
            onSaved.accept(profile.name());
        });
    }

    /** The open editor window, if any (tests, screenshots). */
    public Optional<Stage> editorWindow() {
        return Optional.ofNullable(openEditor).filter(Stage::isShowing);
    }
}
