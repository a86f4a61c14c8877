package dev.verifull.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.verifull.app.audit.AuditController;
import dev.verifull.app.audit.AuditViewModel;
import dev.verifull.app.profiles.FilePicker;
import dev.verifull.app.profiles.ProfileActions;
import dev.verifull.app.profiles.ProfileDetailsController;
import dev.verifull.app.sessions.SessionsController;
import dev.verifull.app.sessions.SessionsViewModel;
import dev.verifull.app.tray.TrayController;
import dev.verifull.app.ui.AppIcons;
import dev.verifull.app.ui.ControllerFactory;
import dev.verifull.app.ui.Shortcuts;
import dev.verifull.app.ui.Views;
import dev.verifull.tls.LocalCa;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

/**
 * The main window's stage: builds the views with their controllers, keyboard shortcuts, the
 * remembered size and position, and what closing means (hide to the tray, or quit — asking first
 * when engines run and there is no tray).
 */
public final class MainWindow implements WindowActions {
    private final Stage stage;
    private final AppServices services;
    private final FilePicker files;
    private final Consumer<Path> openFolder;
    private final Runnable quit;
    private final BooleanSupplier trayInstalled;
    private final ProfileActions actions;
    private final SessionsViewModel sessionsModel;
    private final MainController controller;
    private UiSettings settings;

    /**
     * @param openFolder    opens a folder in the desktop's file manager
     * @param quit          stops everything and exits (the application decides how)
     * @param trayInstalled whether closing the window should only hide it
     */
    public MainWindow(Stage stage, AppServices services, FilePicker files, Consumer<Path> openFolder, Runnable quit,
                      BooleanSupplier trayInstalled) {
        this.stage = stage;
        this.services = services;
        this.files = files;
        this.openFolder = openFolder;
        this.quit = quit;
        this.trayInstalled = trayInstalled;
        this.settings = services.initialSettings();
        this.actions = new ProfileActions(services.library(), services.tools(), services.theme(), services.tailscaleState(),
                files, services.background(), services.fx(), () -> stage);
        this.sessionsModel = new SessionsViewModel(services.sessions(), services.engineControl()::endSession);
        AuditViewModel auditModel = new AuditViewModel(services.auditDirectory(), services.background(), services.fx());
        MainController[] main = new MainController[1];
        ControllerFactory controllers = new ControllerFactory()
                .register(MainController.class, () -> main[0] = new MainController(services, actions, this, sessionsModel))
                .register(ProfileDetailsController.class,
                        () -> new ProfileDetailsController(services.tools(), actions, services.tailscaleState()))
                .register(SessionsController.class, () -> new SessionsController(sessionsModel, Instant::now))
                .register(AuditController.class, () -> new AuditController(auditModel, files, openFolder));
        Parent root = Views.load(MainController.class, "main.fxml", controllers);
        this.controller = main[0];
        Scene scene = new Scene(root, settings.width(), settings.height());
        services.theme().register(scene);
        shortcuts(scene);
        stage.setScene(scene);
        stage.setTitle("Verifull");
        stage.getIcons().setAll(AppIcons.windowIcons());
        stage.setMinWidth(820);
        stage.setMinHeight(520);
        placeFromSettings();
        stage.setOnCloseRequest(this::onCloseRequest);
        services.theme().appearanceProperty().addListener((o, was, now) -> {
            settings = settings.withAppearance(now);
            services.saveSettings(settings);
        });
    }

    public MainController controller() {
        return controller;
    }

    public ProfileActions actions() {
        return actions;
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
    }

    /** What the tray's clicks ask of the window. */
    public TrayController.Window trayWindow() {
        return new TrayController.Window() {
            @Override
            public void open() {
                bringToFront();
            }

            @Override
            public void quit() {
                MainWindow.this.quit();
            }

            @Override
            public void edit(String profile) {
                bringToFront();
                controller.select(profile);
                services.library().find(profile).ifPresent(actions::edit);
            }

            @Override
            public void showSession(String profile, long sessionId) {
                MainWindow.this.showSession(profile, sessionId);
            }
        };
    }

    /** The window, on the sessions view, with this session selected (a notification about it was clicked). */
    public void showSession(String profile, long sessionId) {
        bringToFront();
        controller.showSession(profile, sessionId);
    }

    /** A second launch or the tray's "Open Verifull": show, de-iconify, raise. */
    public void bringToFront() {
        if (!stage.isShowing()) stage.show();
        stage.setIconified(false);
        stage.toFront();
        stage.requestFocus();
    }

    private void shortcuts(Scene scene) {
        var keys = scene.getAccelerators();
        keys.put(Shortcuts.NEW_PROFILE.keys(), actions::newProfile);
        keys.put(Shortcuts.EDIT.keys(), controller::editSelected);
        keys.put(Shortcuts.TOGGLE.keys(), controller::toggleSelected);
        keys.put(Shortcuts.FILTER.keys(), controller::focusFilter);
        keys.put(Shortcuts.PROFILES.keys(), controller::showProfiles);
        keys.put(Shortcuts.SESSIONS.keys(), controller::showSessions);
        keys.put(Shortcuts.AUDIT.keys(), controller::showAudit);
        keys.put(Shortcuts.RELOAD.keys(), controller::reloadAudit);
        keys.put(Shortcuts.CLOSE.keys(), () -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        keys.put(Shortcuts.QUIT.keys(), this::quit);
        scene.lookup(".profile-list").setOnKeyPressed(e -> {
            if (Shortcuts.DELETE.keys().match(e)) controller.deleteSelected();
        });
    }

    private void placeFromSettings() {
        if (settings.hasPosition() && visibleOnSomeScreen(settings)) {
            stage.setX(settings.x());
            stage.setY(settings.y());
        } else {
            stage.centerOnScreen();
        }
        stage.setMaximized(settings.maximized());
    }

    private static boolean visibleOnSomeScreen(UiSettings s) {
        // at least the title bar's middle must be on a screen, or the window would open out of reach
        Rectangle2D titleBar = new Rectangle2D(s.x() + s.width() / 2 - 50, s.y(), 100, 30);
        return Screen.getScreens().stream().anyMatch(sc -> sc.getVisualBounds().intersects(titleBar));
    }

    /** Remembers where the window is; written in the background. */
    public void rememberBounds() {
        if (stage.isIconified()) return;
        settings = stage.isMaximized()
                ? settings.withBounds(settings.x(), settings.y(), settings.width(), settings.height(), true)
                : settings.withBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), false);
        services.saveSettings(settings);
    }

    private void onCloseRequest(WindowEvent e) {
        e.consume();
        rememberBounds();
        if (trayInstalled.getAsBoolean()) {
            if (!settings.trayExplained()) explainTray();
            stage.hide();
            return;
        }
        long running = services.library().activeCount();
        if (running == 0 || confirmQuit(running)) quit();
    }

    /** Said once, the first time the window is closed with a tray: the app is still there. */
    private void explainTray() {
        settings = settings.withTrayExplained();
        services.saveSettings(settings);
        Alert told = new Alert(Alert.AlertType.INFORMATION);
        told.initOwner(stage);
        told.setTitle("Verifull keeps running");
        told.setHeaderText("Verifull keeps running in the tray");
        told.setContentText("Running profiles go on serving their clients. Open the window again from the Verifull icon "
                + "in the system tray; quit from its menu or with " + Shortcuts.QUIT.text() + ".");
        told.getDialogPane().setId("tray-explained");
        services.theme().register(told.getDialogPane().getScene());
        told.showAndWait();
    }

    private boolean confirmQuit(long running) {
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION);
        ask.initOwner(stage);
        ask.setTitle("Quit Verifull");
        ask.setHeaderText(running == 1 ? "A profile is running" : running + " profiles are running");
        ask.setContentText("Quitting stops " + (running == 1 ? "its engine" : "their engines")
                + " and ends open sessions. There is no system tray here to keep Verifull running in the background.");
        ButtonType quitButton = new ButtonType("Quit", ButtonBar.ButtonData.OK_DONE);
        ask.getButtonTypes().setAll(ButtonType.CANCEL, quitButton);
        services.theme().register(ask.getDialogPane().getScene());
        return ask.showAndWait().filter(b -> b == quitButton).isPresent();
    }

    @Override
    public void quit() {
        if (stage.isShowing()) rememberBounds();
        controller.stop();
        quit.run();
    }

    @Override
    public void openFolder(Path folder) {
        services.background().execute(() -> {
            try {
                Files.createDirectories(folder);
            } catch (IOException ignored) {
                // the file manager will say it is missing
            }
            Platform.runLater(() -> openFolder.accept(folder));
        });
    }

    @Override
    public void exportLocalCa() {
        Path target = files.pick(stage, "Export the local CA certificate", FilePicker.Kind.PEM_TARGET, "verifull-local-ca.pem");
        if (target == null) return;
        services.background().execute(() -> {
            String message;
            try {
                Path source = LocalCa.loadOrCreate(services.localCaDirectory()).certificateFile();
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                message = "Saved to " + target + ".\nClients that trust it can use sslmode=verify-full towards Verifull.";
            } catch (Exception ex) {
                message = "The local CA certificate could not be exported: " + ex.getMessage();
            }
            String text = message;
            Platform.runLater(() -> info("Local CA certificate", text));
        });
    }

    @Override
    public void showShortcuts() {
        GridPane grid = new GridPane();
        grid.setHgap(18);
        grid.setVgap(6);
        int row = 0;
        for (Shortcuts s : Shortcuts.values()) {
            Label key = new Label(s.text());
            key.setStyle("-fx-font-weight: bold;");
            key.setId("shortcut-" + s.name().toLowerCase(java.util.Locale.ROOT));
            grid.addRow(row++, key, new Label(s.description()));
        }
        grid.addRow(row, new Label("Alt+letter"), new Label("The button or menu with that letter underlined"));
        Alert alert = new Alert(Alert.AlertType.NONE, "", ButtonType.CLOSE);
        alert.initOwner(stage);
        alert.setTitle("Keyboard shortcuts");
        alert.setHeaderText("Keyboard shortcuts");
        alert.getDialogPane().setContent(grid);
        services.theme().register(alert.getDialogPane().getScene());
        alert.show();
    }

    private void info(String title, String text) {
        Alert alert = new Alert(Alert.AlertType.INFORMATION, text, ButtonType.OK);
        alert.initOwner(stage);
        alert.setTitle(title);
        alert.setHeaderText(title);
        services.theme().register(alert.getDialogPane().getScene());
        alert.show();
    }
}
