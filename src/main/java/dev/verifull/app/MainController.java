package dev.verifull.app;

import java.util.concurrent.CompletableFuture;

import dev.verifull.app.audit.AuditController;
import dev.verifull.app.os.StartAtLogin;
import dev.verifull.app.profiles.ProfileActions;
import dev.verifull.app.profiles.ProfileDetailsController;
import dev.verifull.app.profiles.ProfileItem;
import dev.verifull.app.profiles.ProfileLibrary;
import dev.verifull.app.profiles.ProfileListCells;
import dev.verifull.app.sessions.SessionsController;
import dev.verifull.app.sessions.SessionsViewModel;
import dev.verifull.app.ui.Appearance;
import dev.verifull.app.ui.Shortcuts;
import dev.verifull.app.ui.TailscaleState;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;

/**
 * The main window: header navigation (Profiles, Sessions, Audit log), the profile list with the
 * selected profile's details, the problem banner, and the status line with Tailscale's state.
 */
public final class MainController {
    private final AppServices services;
    private final ProfileActions actions;
    private final WindowActions window;
    private final SessionsViewModel sessionsModel;

    @FXML private ToggleGroup navigation;
    @FXML private ToggleButton profilesNav;
    @FXML private ToggleButton sessionsNav;
    @FXML private ToggleButton auditNav;
    @FXML private Label liveBadge;
    @FXML private Button newProfileButton;
    @FXML private HBox problemBanner;
    @FXML private Label problemText;
    @FXML private HBox profilesView;
    @FXML private Node sessions;
    @FXML private Node audit;
    @FXML private ListView<ProfileItem> profileList;
    @FXML private ProfileDetailsController detailsController;
    @FXML private SessionsController sessionsController;
    @FXML private AuditController auditController;
    @FXML private Region tailscaleDot;
    @FXML private Label tailscaleText;
    @FXML private Label summaryText;
    @FXML private MenuButton appMenu;

    public MainController(AppServices services, ProfileActions actions, WindowActions window, SessionsViewModel sessionsModel) {
        this.services = services;
        this.actions = actions;
        this.window = window;
        this.sessionsModel = sessionsModel;
    }

    @FXML
    private void initialize() {
        navigation();
        profiles();
        banner();
        statusLine();
        menu();
        newProfileButton.setTooltip(new javafx.scene.control.Tooltip(Shortcuts.NEW_PROFILE.tip("New profile")));
        profilesNav.setTooltip(new javafx.scene.control.Tooltip(Shortcuts.PROFILES.text()));
        sessionsNav.setTooltip(new javafx.scene.control.Tooltip(Shortcuts.SESSIONS.text()));
        auditNav.setTooltip(new javafx.scene.control.Tooltip(Shortcuts.AUDIT.text()));
        appMenu.setTooltip(new javafx.scene.control.Tooltip("Appearance, start at login, local CA, shortcuts, quit"));
    }

    private void navigation() {
        navigation.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                was.setSelected(true); // one view is always shown
                return;
            }
            profilesView.setVisible(now == profilesNav);
            sessions.setVisible(now == sessionsNav);
            audit.setVisible(now == auditNav);
            if (now == auditNav) auditController.reload();
        });
        liveBadge.textProperty().bind(sessionsModel.liveCountProperty().asString());
        liveBadge.visibleProperty().bind(sessionsModel.liveCountProperty().greaterThan(0));
        // a labeled control ignores an unmanaged graphic for good, so the badge comes and goes with the content display
        sessionsNav.contentDisplayProperty().bind(Bindings.when(liveBadge.visibleProperty())
                .then(javafx.scene.control.ContentDisplay.RIGHT).otherwise(javafx.scene.control.ContentDisplay.TEXT_ONLY));
    }

    private void profiles() {
        ProfileLibrary library = services.library();
        profileList.setItems(library.items());
        profileList.setCellFactory(ProfileListCells.withToggle(actions::toggle));
        Label none = new Label("Profiles you add appear here");
        none.getStyleClass().addAll("muted", "small");
        profileList.setPlaceholder(none);
        profileList.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> detailsController.setItem(now));
        library.items().addListener((ListChangeListener<ProfileItem>) c -> {
            detailsController.setHasProfiles(!library.items().isEmpty());
            if (profileList.getSelectionModel().getSelectedItem() == null && !library.items().isEmpty()) {
                profileList.getSelectionModel().selectFirst();
            }
            sessionsModel.setProfileNames(library.names());
            updateSummary();
        });
        detailsController.setHasProfiles(!library.items().isEmpty());
        actions.setOnSaved(name -> {
            services.notices().forget(name); // an edited profile's old causes are news again
            library.find(name).ifPresent(item -> profileList.getSelectionModel().select(item));
            showProfiles();
        });
    }

    private void banner() {
        problemText.textProperty().bind(services.library().problemProperty());
        problemBanner.visibleProperty().bind(services.library().problemProperty().isNotEmpty());
        problemBanner.managedProperty().bind(problemBanner.visibleProperty());
    }

    private void statusLine() {
        tailscaleText.textProperty().bind(Bindings.createStringBinding(() -> services.tailscaleState().get().text(),
                services.tailscaleState()));
        services.tailscaleState().addListener((o, was, now) -> styleTailscaleDot(now));
        styleTailscaleDot(services.tailscaleState().get());
        sessionsModel.liveCountProperty().addListener(x -> updateSummary());
        services.library().revisionProperty().addListener(x -> updateSummary());
        updateSummary();
    }

    private void styleTailscaleDot(TailscaleState state) {
        tailscaleDot.getStyleClass().setAll("dot", switch (state.kind()) {
            case RUNNING -> "running";
            case NOT_RUNNING -> "waiting";
            case NOT_FOUND -> "stopped";
        });
    }

    /** Called when a profile's status changes, too (see the cell listeners). */
    public void updateSummary() {
        ProfileLibrary library = services.library();
        long running = library.activeCount();
        int total = library.items().size();
        int live = sessionsModel.liveCountProperty().get();
        long unverified = library.items().stream().filter(i -> i.state() == dev.verifull.app.profiles.ProfileState.UNVERIFIED).count();
        summaryText.setText(total == 0 ? "" : running + " of " + total + (total == 1 ? " profile" : " profiles") + " running"
                + (unverified == 0 ? "" : " · " + unverified + (unverified == 1 ? " upstream" : " upstreams") + " not verified")
                + " · " + live + (live == 1 ? " live session" : " live sessions"));
    }

    private void menu() {
        Menu appearance = new Menu("Appearance");
        ToggleGroup group = new ToggleGroup();
        for (Appearance a : Appearance.values()) {
            RadioMenuItem item = new RadioMenuItem(a.label());
            item.setToggleGroup(group);
            item.setSelected(services.theme().appearanceProperty().get() == a);
            item.setOnAction(e -> services.theme().appearanceProperty().set(a));
            appearance.getItems().add(item);
        }
        MenuItem exportCa = new MenuItem("Export local CA certificate…");
        exportCa.setOnAction(e -> window.exportLocalCa());
        MenuItem dataFolder = new MenuItem("Open data folder");
        dataFolder.setOnAction(e -> window.openFolder(services.baseDir()));
        MenuItem logFolder = new MenuItem("Open log folder");
        logFolder.setOnAction(e -> window.openFolder(dev.verifull.profile.AppDataDir.logDirectory()));
        MenuItem shortcuts = new MenuItem("Keyboard shortcuts");
        shortcuts.setOnAction(e -> window.showShortcuts());
        MenuItem quit = new MenuItem("Quit Verifull");
        quit.setOnAction(e -> window.quit());
        appMenu.getItems().setAll(appearance, startAtLoginItem(), exportCa, dataFolder, logFolder, new SeparatorMenuItem(), shortcuts,
                new SeparatorMenuItem(), quit);
    }

    /** Off by default; only the installed app can be started at login (not a build run from Maven). */
    private CheckMenuItem startAtLoginItem() {
        StartAtLogin login = StartAtLogin.forThisComputer();
        CheckMenuItem item = new CheckMenuItem(login.available() ? "Start Verifull at login"
                : "Start Verifull at login (installed app only)");
        item.setDisable(true);
        if (!login.available()) return item;
        CompletableFuture.supplyAsync(() -> {
            try {
                return login.enabled();
            } catch (Exception e) {
                return false;
            }
        }, services.background()).thenAcceptAsync(on -> {
            item.setSelected(on);
            item.setDisable(false);
        }, services.fx());
        item.setOnAction(e -> {
            boolean wanted = item.isSelected();
            item.setDisable(true);
            CompletableFuture.runAsync(() -> {
                try {
                    login.setEnabled(wanted);
                } catch (Exception ex) {
                    throw new java.util.concurrent.CompletionException(ex);
                }
            }, services.background()).whenCompleteAsync((ok, error) -> {
                if (error != null) item.setSelected(!wanted);
                item.setDisable(false);
            }, services.fx());
        });
        return item;
    }

    @FXML
    private void newProfile() {
        actions.newProfile();
    }

    @FXML
    private void dismissProblem() {
        services.library().dismissProblem();
    }

    @FXML
    private void openDataFolder() {
        window.openFolder(services.baseDir());
    }

    // ---- for keyboard shortcuts and the tray ----

    public void showProfiles() {
        profilesNav.setSelected(true);
    }

    public void showSessions() {
        sessionsNav.setSelected(true);
    }

    public void showAudit() {
        auditNav.setSelected(true);
    }

    /** The filter shortcut: the filter of the sessions or audit view (sessions when on profiles). */
    public void focusFilter() {
        if (auditNav.isSelected()) {
            auditController.focusFilter();
        } else {
            showSessions();
            sessionsController.focusFilter();
        }
    }

    /** The sessions view with one session selected; the profiles view says so when it is gone. */
    public void showSession(String profile, long sessionId) {
        showSessions();
        sessionsController.showSession(profile, sessionId);
    }

    public void reloadAudit() {
        if (auditNav.isSelected()) auditController.reload();
    }

    public ProfileItem selectedProfile() {
        return profileList.getSelectionModel().getSelectedItem();
    }

    public void select(String profile) {
        services.library().find(profile).ifPresent(item -> profileList.getSelectionModel().select(item));
        showProfiles();
    }

    public void editSelected() {
        ProfileItem item = selectedProfile();
        if (item != null) actions.edit(item);
    }

    public void toggleSelected() {
        ProfileItem item = selectedProfile();
        if (item != null) actions.toggle(item);
    }

    public void deleteSelected() {
        ProfileItem item = selectedProfile();
        if (item != null && profilesView.isVisible()) actions.delete(item);
    }

    public void stop() {
        sessionsController.stop();
        auditController.stop();
    }
}
