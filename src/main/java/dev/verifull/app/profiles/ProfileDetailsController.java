package dev.verifull.app.profiles;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import dev.verifull.app.ui.Shortcuts;
import dev.verifull.app.ui.TailscaleState;
import dev.verifull.check.UpstreamWatch;
import dev.verifull.connect.ConnectionString;
import dev.verifull.connect.ConnectionStrings;
import dev.verifull.manager.EngineStatus;
import dev.verifull.manager.ProfileStatus;
import dev.verifull.profile.Profile;
import javafx.beans.value.ChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/**
 * The right side of the Profiles view: the selected profile's status with start/stop, its
 * connection strings with one-click copy, and what it verifies and who may connect. Without a
 * profile: the first-run empty state.
 */
public final class ProfileDetailsController {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private final ProfileTools tools;
    private final ProfileActions actions;
    private final javafx.beans.value.ObservableValue<TailscaleState> tailscale;
    private final ChangeListener<Object> refresh = (o, was, now) -> show();
    private ProfileItem item;
    private ConnectionStringsView connections;
    /** The "Use NAME as the server name" buttons shown, and for which profile. */
    private List<String> offeredNames = List.of();
    private ProfileItem offeredFor;

    @FXML private VBox emptyState;
    @FXML private Label emptyTitle;
    @FXML private Label emptyText;
    @FXML private Button addFirstButton;
    @FXML private Label emptyHint;
    @FXML private VBox firstSteps;
    @FXML private ScrollPane contentScroll;
    @FXML private Label nameLabel;
    @FXML private Label statusPill;
    @FXML private Label routeLabel;
    @FXML private Button startStopButton;
    @FXML private Button editButton;
    @FXML private MenuButton moreButton;
    @FXML private Label saveNote;
    @FXML private VBox errorBox;
    @FXML private Label errorTitle;
    @FXML private VBox expiryBox;
    @FXML private Label expiryTitle;
    @FXML private Label expiryText;
    @FXML private Label errorText;
    @FXML private Label errorDetail;
    @FXML private Label errorHint;
    @FXML private FlowPane statusActions;
    @FXML private Button fixEditButton;
    @FXML private Button testAgainButton;
    @FXML private Label connectHint;
    @FXML private GridPane connectionGrid;
    @FXML private GridPane upstreamGrid;
    @FXML private GridPane accessGrid;

    public ProfileDetailsController(ProfileTools tools, ProfileActions actions,
                                    javafx.beans.value.ObservableValue<TailscaleState> tailscale) {
        this.tools = tools;
        this.actions = actions;
        this.tailscale = tailscale;
    }

    @FXML
    private void initialize() {
        connections = new ConnectionStringsView(connectionGrid, this::edit);
        emptyHint.setText(Shortcuts.NEW_PROFILE.text() + " adds a profile at any time");
        editButton.setTooltip(new Tooltip(Shortcuts.EDIT.tip("Edit this profile")));
        tailscale.addListener(refresh);
        show();
    }

    /** Shows a profile, or the empty state for null. */
    public void setItem(ProfileItem newItem) {
        if (item != null) {
            item.profileProperty().removeListener(refresh);
            item.statusProperty().removeListener(refresh);
            item.upstreamProperty().removeListener(refresh);
            item.saveNoteProperty().removeListener(refresh);
        }
        item = newItem;
        if (item != null) {
            item.profileProperty().addListener(refresh);
            item.statusProperty().addListener(refresh);
            item.upstreamProperty().addListener(refresh);
            item.saveNoteProperty().addListener(refresh);
        }
        show();
    }

    /** With profiles but none selected the empty state says so instead of "no profiles yet". */
    public void setHasProfiles(boolean hasProfiles) {
        emptyTitle.setText(hasProfiles ? "Select a profile" : "No profiles yet");
        addFirstButton.setVisible(!hasProfiles);
        addFirstButton.setManaged(!hasProfiles);
        emptyText.setVisible(!hasProfiles);
        emptyText.setManaged(!hasProfiles);
        firstSteps.setVisible(!hasProfiles);
        firstSteps.setManaged(!hasProfiles);
    }

    private void show() {
        boolean has = item != null;
        emptyState.setVisible(!has);
        contentScroll.setVisible(has);
        if (!has) return;
        Profile p = item.profile();
        ProfileStatus s = item.status();
        nameLabel.setText(p.name());
        ProfileState state = item.state();
        statusPill.setText(state.label());
        statusPill.getStyleClass().setAll("pill", state.style());
        routeLabel.setText(item.routeText());
        boolean active = item.active();
        startStopButton.setText(active ? "St_op" : "Sta_rt"); // S is Sessions, T is Test again
        startStopButton.getStyleClass().setAll("button", active ? "secondary" : "primary");
        startStopButton.setTooltip(new Tooltip((active ? "Stop" : "Start") + " this profile's engine (" + Shortcuts.TOGGLE.text() + ")"));
        String note = item.saveNoteProperty().get();
        saveNote.setText(note);
        saveNote.setVisible(note != null);
        saveNote.setManaged(note != null);
        statusBox(state, s, item.upstream());
        expiryBox(item);
        fillConnections(p, s);
        fillUpstream(p);
        fillAccess(p, s);
    }

    /** The box under the header: why the engine is not running well, or why its upstream is not verified. */
    private void statusBox(ProfileState state, ProfileStatus s, UpstreamWatch.Verdict upstream) {
        boolean unverified = state == ProfileState.UNVERIFIED && upstream != null;
        boolean trust = state == ProfileState.TRUST_NOT_RELOADED;
        boolean show = state == ProfileState.ERROR || state == ProfileState.WAITING || unverified || trust;
        errorBox.setVisible(show);
        errorBox.setManaged(show);
        statusActions.setVisible(unverified);
        statusActions.setManaged(unverified);
        if (!show) return;
        errorBox.getStyleClass().setAll(state == ProfileState.ERROR ? "error-box" : "warn-box");
        if (trust) {
            errorTitle.setText("Changed trust files were not loaded: new sessions still use the last good ones");
            errorText.setText(s.trustError());
            showLine(errorDetail, null);
            showLine(errorHint, null);
            return;
        }
        if (!unverified) {
            errorTitle.setText(state == ProfileState.WAITING ? "Waiting for Tailscale" : "The engine could not start");
            errorText.setText(s.detail() != null ? s.detail() : "");
            showLine(errorDetail, null);
            showLine(errorHint, null);
            return;
        }
        errorTitle.setText("Upstream not verified since " + CLOCK.format(upstream.since().atZone(ZoneId.systemDefault()))
                + ": clients are refused");
        errorText.setText(upstream.message());
        showLine(errorDetail, upstream.detail());
        showLine(errorHint, upstream.hint() != null ? capitalized(upstream.hint()) : null);
        List<String> names = upstream.lastTest() != null ? upstream.lastTest().namesToOffer() : List.of();
        if (names.equals(offeredNames) && item == offeredFor) return; // the same buttons (keeps focus)
        offeredNames = names;
        offeredFor = item;
        statusActions.getChildren().setAll(fixEditButton, testAgainButton);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Button use = new Button("Use " + name + " as the server name…");
            use.setId("status-use-name-" + i);
            use.getStyleClass().add("secondary");
            use.setTooltip(new Tooltip("Opens the editor with the server name set to " + name + " and tests it"));
            use.setOnAction(e -> actions.editWithServerName(item, name));
            statusActions.getChildren().add(use);
        }
    }

    /** Certificates near their end (or past it): stays while the profile runs, until they are replaced. */
    private void expiryBox(ProfileItem shown) {
        var expiring = shown.expiringSoon();
        expiryBox.setVisible(!expiring.isEmpty());
        expiryBox.setManaged(!expiring.isEmpty());
        if (expiring.isEmpty()) return;
        java.time.Instant now = java.time.Instant.now();
        expiryTitle.setText(expiring.get(0).headline(now) + (expiring.size() > 1 ? " (and " + (expiring.size() - 1) + " more)" : ""));
        expiryText.setText(String.join("\n", expiring.stream().map(e -> e.warning(now)).toList()));
    }

    private static void showLine(Label label, String text) {
        label.setText(text);
        label.setVisible(text != null && !text.isEmpty());
        label.setManaged(label.isVisible());
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private void fillConnections(Profile p, ProfileStatus s) {
        String host = ConnectAddress.host(p, tailscale.getValue());
        if (host == null) {
            connectionGrid.getChildren().clear();
            connectHint.setText("These appear once Tailscale runs: tailnet profiles are reached by this machine's MagicDNS name.");
            return;
        }
        String where = host + ":" + p.listenPort();
        // The same words whether the profile runs or not (the status pill says that): the Copy buttons stay put when it starts.
        connectHint.setText("Paste one of these into your client: it connects to " + where + ", and Verifull onward to "
                + p.upstreamHost() + ":" + p.upstreamPort() + " with the certificate checked.");
        // Clients see the Tailscale certificate when the running engine says so; the local CA's otherwise.
        boolean tailscaleCertificate = s.detail() != null && s.detail().startsWith("clients get the Tailscale certificate");
        List<ConnectionString> strings = tools.connectionStrings(p, host, p.listenPort(), tailscaleCertificate);
        connections.show(strings, ConnectionStrings.missing(p));
    }

    private void fillUpstream(Profile p) {
        upstreamGrid.getChildren().clear();
        int row = 0;
        row = fact(upstreamGrid, row, "Server", p.upstreamHost() + ":" + p.upstreamPort());
        row = fact(upstreamGrid, row, "Name checked", p.serverName() != null ? p.serverName() : p.upstreamHost());
        String trust = p.systemTrust() ? "System trust store"
                : p.caFiles().isEmpty() ? "(no CA file)" : String.join("\n", p.caFiles().stream().map(p::describeFile).toList());
        row = fact(upstreamGrid, row, "Trusted CAs", trust);
        String tls = (p.tls13Only() ? "TLS 1.3 only" : "TLS 1.2 or 1.3") + (p.directTls() ? " · direct TLS" : " · SSLRequest")
                + " · " + p.tlsProvider();
        row = fact(upstreamGrid, row, "TLS", tls);
        // What the user gets, as the editor's hints say it (not how the engine does it)
        if (p.warmUpstreams() > 0) {
            int total = p.warmUpstreams() * tools.ioThreads();
            row = fact(upstreamGrid, row, "Kept ready", total + " connection" + (total == 1 ? "" : "s")
                    + " to the server kept open and verified, so new sessions start sooner (each uses one of the server's connection slots)");
        }
        if (p.busyPollMicros() > 0) {
            row = fact(upstreamGrid, row, "Low latency", "On: queries answer a little sooner while they flow, "
                    + "and a processor stays busy meanwhile");
        }
        if (p.clientCertificateFile() != null) fact(upstreamGrid, row, "Client cert", p.describeFile(p.clientCertificateFile()));
    }

    private void fillAccess(Profile p, ProfileStatus s) {
        accessGrid.getChildren().clear();
        int row = 0;
        row = fact(accessGrid, row, "Listens on", p.binding() == Profile.Binding.LOCAL_ONLY
                ? "This computer only (127.0.0.1:" + p.listenPort() + ")"
                : "Tailnet addresses, port " + p.listenPort());
        if (!s.addresses().isEmpty()) {
            row = fact(accessGrid, row, "Bound", String.join(", ", s.addresses().stream()
                    .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).toList()));
        }
        if (s.status() == EngineStatus.RUNNING && s.detail() != null) {
            row = fact(accessGrid, row, "Client TLS", s.detail()); // e.g. which certificate clients get
        }
        if (p.binding() == Profile.Binding.LOCAL_ONLY) {
            row = fact(accessGrid, row, "Who", "Programs on this computer (you)");
        } else if (!p.hasAccessRules()) {
            row = fact(accessGrid, row, "Who", "Nobody yet: add users, tags or a capability");
        } else {
            if (!p.allowUsers().isEmpty()) row = fact(accessGrid, row, "Users", String.join(", ", p.allowUsers()));
            if (!p.allowTags().isEmpty()) row = fact(accessGrid, row, "Tags", String.join(", ", p.allowTags()));
            if (p.allowCapability() != null) row = fact(accessGrid, row, "Capability", p.allowCapability());
        }
        row = fact(accessGrid, row, "Max sessions", Integer.toString(p.maxSessions()));
        fact(accessGrid, row, "Starts", p.startWithApp() ? "With Verifull" : "When you start it");
    }

    private static int fact(GridPane grid, int row, String name, String value) {
        Label n = new Label(name);
        n.getStyleClass().add("fact-name");
        Label v = new Label(value);
        v.setWrapText(true);
        GridPane.setValignment(n, javafx.geometry.VPos.TOP);
        grid.addRow(row, n, v);
        return row + 1;
    }


    @FXML
    private void toggle() {
        if (item != null) actions.toggle(item);
    }

    @FXML
    private void edit() {
        if (item != null) actions.edit(item);
    }

    @FXML
    private void testAgain() {
        if (item != null) actions.checkUpstream(item);
    }

    /** The editor with the chain, the CA it was matched to and the TLS details shown: one click from a running profile. */
    @FXML
    private void testUpstream() {
        if (item != null) actions.editAndTest(item);
    }

    @FXML
    private void duplicate() {
        if (item != null) actions.duplicate(item);
    }

    @FXML
    private void delete() {
        if (item != null) actions.delete(item);
    }

    @FXML
    private void newProfile() {
        actions.newProfile();
    }
}
