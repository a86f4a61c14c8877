package dev.verifull.app.profiles;

import java.nio.file.Path;
import java.util.function.Consumer;

import dev.verifull.check.UpstreamTestResult;
import dev.verifull.engine.EngineLimits;
import dev.verifull.profile.CertificateFileInfo;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator.Field;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.StringProperty;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * Binds the editor form to its {@link ProfileEditorViewModel}: fields two-way, one message label
 * per field, Save only when valid, file choosers for CA files and client credentials, and the
 * "Test upstream" panel.
 */
public final class ProfileEditorController {
    private final ProfileEditorViewModel vm;
    private final FilePicker files;
    private final Consumer<ProfileEditorViewModel> onSave;
    private final Runnable onClose;

    @FXML private ScrollPane formScroll;
    @FXML private Label titleLabel;
    @FXML private TextField nameField;
    @FXML private Label nameError;
    @FXML private TextField hostField;
    @FXML private Label hostError;
    @FXML private TextField portField;
    @FXML private Label portError;
    @FXML private Button pasteButton;
    @FXML private Label pasteNote;
    @FXML private TextField serverNameField;
    @FXML private Label serverNameError;
    @FXML private ToggleGroup trustGroup;
    @FXML private RadioButton caFilesRadio;
    @FXML private RadioButton systemTrustRadio;
    @FXML private VBox caFilesBox;
    @FXML private ListView<CaFileEntry> caList;
    @FXML private Button addCaButton;
    @FXML private Button removeCaButton;
    @FXML private ProgressIndicator importProgress;
    @FXML private Label caError;
    @FXML private Label fileProblem;
    @FXML private TextField clientCertField;
    @FXML private Button chooseClientCertButton;
    @FXML private Button clearClientCertButton;
    @FXML private Label clientCertError;
    @FXML private Label clientCertOrigin;
    @FXML private Label clientKeyOrigin;
    @FXML private TextField clientKeyField;
    @FXML private Button chooseClientKeyButton;
    @FXML private Button clearClientKeyButton;
    @FXML private Label clientKeyError;
    @FXML private CheckBox tls13Check;
    @FXML private CheckBox directTlsCheck;
    @FXML private ChoiceBox<String> providerChoice;
    @FXML private Label providerError;
    @FXML private Spinner<Integer> warmSpinner;
    @FXML private Label warmSummary;
    @FXML private Label warmError;
    @FXML private CheckBox lowLatencyCheck;
    @FXML private Label lowLatencyError;
    @FXML private TextField listenPortField;
    @FXML private Button suggestPortButton;
    @FXML private Label listenPortError;
    @FXML private ToggleGroup bindingGroup;
    @FXML private RadioButton localOnlyRadio;
    @FXML private RadioButton tailnetRadio;
    @FXML private TextField maxSessionsField;
    @FXML private Label maxSessionsError;
    @FXML private TextField metricsPortField;
    @FXML private Label metricsPortError;
    @FXML private CheckBox startWithAppCheck;
    @FXML private CheckBox offerClientTlsCheck;
    @FXML private CheckBox allowThisMachineCheck;
    @FXML private CheckBox startNowCheck;
    @FXML private TitledPane advancedPane;
    @FXML private VBox accessCard;
    @FXML private TextField allowUsersField;
    @FXML private Label allowUsersError;
    @FXML private TextField allowTagsField;
    @FXML private Label allowTagsError;
    @FXML private TextField capabilityField;
    @FXML private Label capabilityError;
    @FXML private TextField defaultDatabaseField;
    @FXML private Label defaultDatabaseError;
    @FXML private TextField defaultUserField;
    @FXML private Label defaultUserError;
    @FXML private Button testButton;
    @FXML private ProgressIndicator testProgress;
    @FXML private Label testStatus;
    @FXML private VBox testResultBox;
    @FXML private Label footerHint;
    @FXML private Button cancelButton;
    @FXML private Button saveButton;

    /**
     * @param onSave  called with the view model when the user saves (the form is valid)
     * @param onClose closes the window
     */
    public ProfileEditorController(ProfileEditorViewModel vm, FilePicker files, Consumer<ProfileEditorViewModel> onSave,
                                   Runnable onClose) {
        this.vm = vm;
        this.files = files;
        this.onSave = onSave;
        this.onClose = onClose;
    }

    @FXML
    private void initialize() {
        titleLabel.setText(vm.isNew() ? "New profile" : "Edit " + vm.originalName());
        text(nameField, vm.name, nameError, Field.NAME);
        text(hostField, vm.upstreamHost, hostError, Field.UPSTREAM_HOST);
        text(portField, vm.upstreamPort, portError, Field.UPSTREAM_PORT);
        text(serverNameField, vm.serverName, serverNameError, Field.SERVER_NAME);
        text(clientCertField, vm.clientCertificate, clientCertError, Field.CLIENT_CERTIFICATE);
        text(clientKeyField, vm.clientKey, clientKeyError, Field.CLIENT_KEY);
        text(listenPortField, vm.listenPort, listenPortError, Field.LISTEN_PORT);
        text(maxSessionsField, vm.maxSessions, maxSessionsError, Field.MAX_SESSIONS);
        text(metricsPortField, vm.metricsPort, metricsPortError, Field.METRICS_PORT);
        text(allowUsersField, vm.allowUsers, allowUsersError, Field.ALLOW_USERS);
        text(allowTagsField, vm.allowTags, allowTagsError, Field.ALLOW_TAGS);
        text(capabilityField, vm.allowCapability, capabilityError, Field.ALLOW_CAPABILITY);
        text(defaultDatabaseField, vm.defaultDatabase, defaultDatabaseError, Field.DEFAULT_DATABASE);
        text(defaultUserField, vm.defaultUser, defaultUserError, Field.DEFAULT_USER);
        message(caError, Field.CA_FILES, caList);
        message(providerError, Field.TLS_PROVIDER, null);

        tls13Check.selectedProperty().bindBidirectional(vm.tls13Only);
        directTlsCheck.selectedProperty().bindBidirectional(vm.directTls);
        startWithAppCheck.selectedProperty().bindBidirectional(vm.startWithApp);
        offerClientTlsCheck.selectedProperty().bindBidirectional(vm.offerClientTls);

        trust();
        binding();
        providers();
        warmUpstreams();
        lowLatency();
        caFiles();
        clientFiles();
        pasteToFill();
        advanced();
        testPanel();

        suggestPortButton.setOnAction(e -> vm.suggestListenPort());
        fileProblem.textProperty().bind(vm.fileProblemProperty());
        showWhenText(fileProblem);
        importProgress.visibleProperty().bind(vm.busyProperty());
        saveButton.disableProperty().bind(vm.validProperty().not());
        footerHint.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> vm.busyProperty().get() ? "Importing files…"
                        : vm.validProperty().get() ? "" : problemsText(vm.errors().keySet()),
                vm.validProperty(), vm.busyProperty(), vm.errors()));
        allowThisMachineCheck.selectedProperty().bindBidirectional(vm.allowThisMachine);
        // only a new profile: an edited one keeps running (restarted with the new settings) or stopped
        startNowCheck.selectedProperty().bindBidirectional(vm.startNow);
        startNowCheck.setVisible(vm.isNew());
        startNowCheck.setManaged(vm.isNew());
        saveButton.setOnAction(e -> save());
        cancelButton.setOnAction(e -> onClose.run());
    }

    /** e.g. "To save, fix: name, port, CA files". */
    static String problemsText(java.util.Collection<Field> fields) {
        return "To save, fix: " + String.join(", ", fields.stream().sorted().map(ProfileEditorController::shortName).toList());
    }

    static String shortName(Field field) {
        return switch (field) {
            case NAME -> "name";
            case UPSTREAM_HOST -> "host";
            case UPSTREAM_PORT -> "port";
            case SERVER_NAME -> "server name";
            case CA_FILES -> "CA files";
            case CLIENT_CERTIFICATE -> "client certificate";
            case CLIENT_KEY -> "client key";
            case LISTEN_PORT -> "listen port";
            case ALLOW_USERS -> "users";
            case ALLOW_TAGS -> "tags";
            case ALLOW_CAPABILITY -> "capability";
            case DEFAULT_DATABASE -> "database";
            case DEFAULT_USER -> "user";
            case TLS_PROVIDER -> "TLS provider";
            case MAX_SESSIONS -> "max sessions";
            case WARM_UPSTREAMS -> "connections kept ready";
            case BUSY_POLL -> "low latency";
            case METRICS_PORT -> "metrics port";
        };
    }

    private void save() {
        vm.fillFromHostField();
        vm.touchAll();
        if (!vm.validProperty().get()) return;
        onSave.accept(vm);
        onClose.run();
    }

    // A field: bound both ways, touched when edited or left, message underneath, red border while wrong.
    private void text(TextField field, StringProperty property, Label error, Field which) {
        field.textProperty().bindBidirectional(property);
        field.textProperty().addListener((o, was, now) -> {
            if (field.isFocused()) vm.touch(which);
        });
        field.focusedProperty().addListener((o, was, now) -> {
            if (!now) vm.touch(which);
        });
        message(error, which, field);
    }

    private void message(Label error, Field which, javafx.scene.control.Control field) {
        StringBinding text = vm.messageFor(which);
        error.textProperty().bind(text);
        error.setId(which.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-error");
        showWhenText(error);
        if (field != null) {
            text.addListener((o, was, now) -> mark(field, now != null));
            mark(field, text.get() != null);
        }
    }

    private static void mark(javafx.scene.control.Control field, boolean invalid) {
        if (invalid && !field.getStyleClass().contains("invalid")) field.getStyleClass().add("invalid");
        if (!invalid) field.getStyleClass().remove("invalid");
    }

    private static void showWhenText(Label label) {
        label.visibleProperty().bind(label.textProperty().isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
    }

    /**
     * A connection string or {@code host:port} pasted into the host field (a change of more than one
     * character at once), or left in it, fills the fields it names; so does "Paste connection string".
     */
    private void pasteToFill() {
        hostField.textProperty().addListener((o, was, now) -> {
            if (now != null && now.length() - (was == null ? 0 : was.length()) > 1 && hostField.isFocused()) {
                javafx.application.Platform.runLater(() -> vm.fillFrom(now)); // after the paste has landed in the field
            }
        });
        hostField.focusedProperty().addListener((o, was, now) -> {
            if (!now) vm.fillFromHostField();
        });
        pasteButton.setOnAction(e -> {
            String text = javafx.scene.input.Clipboard.getSystemClipboard().getString();
            if (text == null || !vm.fillFrom(text)) {
                vm.showPasteProblem("The clipboard holds no connection string. Copy one first (postgresql://…, host=… port=…, "
                        + "a JDBC URL or host:port), or type the host.");
            }
        });
        pasteNote.textProperty().bind(vm.pasteNoteProperty());
        showWhenText(pasteNote);
    }

    /** Collapsed until wanted, or until one of its settings has a problem to show. */
    private void advanced() {
        java.util.Set<Field> inside = java.util.EnumSet.of(Field.TLS_PROVIDER, Field.WARM_UPSTREAMS, Field.BUSY_POLL, Field.MAX_SESSIONS,
                Field.METRICS_PORT);
        Runnable openOnProblem = () -> {
            for (Field f : inside) {
                if (vm.messageFor(f).get() != null) advancedPane.setExpanded(true);
            }
        };
        vm.errors().addListener((javafx.collections.MapChangeListener<Field, String>) c -> openOnProblem.run());
        openOnProblem.run();
    }

    private void trust() {
        (vm.systemTrust.get() ? systemTrustRadio : caFilesRadio).setSelected(true);
        trustGroup.selectedToggleProperty().addListener((o, was, now) -> {
            vm.systemTrust.set(now == systemTrustRadio);
            vm.touch(Field.CA_FILES);
        });
        caFilesBox.visibleProperty().bind(caFilesRadio.selectedProperty());
        caFilesBox.managedProperty().bind(caFilesBox.visibleProperty());
    }

    private void binding() {
        (vm.binding.get() == Profile.Binding.TAILNET ? tailnetRadio : localOnlyRadio).setSelected(true);
        bindingGroup.selectedToggleProperty().addListener((o, was, now) ->
                vm.binding.set(now == tailnetRadio ? Profile.Binding.TAILNET : Profile.Binding.LOCAL_ONLY));
        // access rules only matter for tailnet profiles: local-only ones accept this computer's user
        accessCard.disableProperty().bind(localOnlyRadio.selectedProperty());
    }

    private void providers() {
        providerChoice.getItems().setAll(ProfileEditorViewModel.TLS_PROVIDERS);
        providerChoice.setConverter(new StringConverter<>() {
            @Override
            public String toString(String id) {
                if (id == null) return "";
                return switch (id) {
                    case "auto" -> "Automatic (OpenSSL where available)";
                    case "jdk" -> "Java (JDK)";
                    case "bc" -> "Bouncy Castle";
                    case "openssl" -> "OpenSSL (BoringSSL)";
                    default -> id;
                };
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        providerChoice.valueProperty().bindBidirectional(vm.tlsProvider);
    }

    private void warmUpstreams() {
        warmSpinner.setValueFactory(new CountValueFactory(0, EngineLimits.MAX_WARM_UPSTREAMS));
        warmSpinner.getValueFactory().valueProperty().bindBidirectional(vm.warmUpstreams);
        warmSummary.textProperty().bind(vm.warmUpstreamsSummary());
        warmSpinner.valueProperty().addListener((o, was, now) -> vm.touch(Field.WARM_UPSTREAMS));
        message(warmError, Field.WARM_UPSTREAMS, warmSpinner);
    }

    private void lowLatency() {
        lowLatencyCheck.selectedProperty().bindBidirectional(vm.lowLatency);
        lowLatencyCheck.selectedProperty().addListener((o, was, now) -> vm.touch(Field.BUSY_POLL));
        message(lowLatencyError, Field.BUSY_POLL, lowLatencyCheck);
    }

    private void caFiles() {
        caList.setItems(vm.caFiles);
        Label none = new Label("No CA file yet. Add the PEM file your database provider publishes (for example the "
                + "Amazon RDS bundle), or choose the system trust store.");
        none.setWrapText(true);
        none.setMaxWidth(360);
        none.getStyleClass().add("muted");
        caList.setPlaceholder(none);
        caList.setCellFactory(list -> new CaFileCell());
        removeCaButton.disableProperty().bind(caList.getSelectionModel().selectedItemProperty().isNull());
        removeCaButton.setOnAction(e -> {
            CaFileEntry selected = caList.getSelectionModel().getSelectedItem();
            if (selected != null) vm.removeCaFile(selected);
        });
        addCaButton.setOnAction(e -> {
            Path chosen = files.pick(addCaButton.getScene().getWindow(), "Add a CA file", FilePicker.Kind.CERTIFICATE, null);
            if (chosen != null) vm.addCaFile(chosen);
        });
    }

    private void clientFiles() {
        chooseClientCertButton.setOnAction(e -> {
            Path chosen = files.pick(nameField.getScene().getWindow(), "Client certificate", FilePicker.Kind.CERTIFICATE, null);
            if (chosen != null) vm.chooseClientCertificate(chosen);
        });
        chooseClientKeyButton.setOnAction(e -> {
            Path chosen = files.pick(nameField.getScene().getWindow(), "Client key", FilePicker.Kind.KEY, null);
            if (chosen != null) vm.chooseClientKey(chosen);
        });
        clearClientCertButton.setOnAction(e -> vm.clientCertificate.set(""));
        clearClientKeyButton.setOnAction(e -> vm.clientKey.set(""));
        clearClientCertButton.disableProperty().bind(vm.clientCertificate.isEmpty());
        clearClientKeyButton.disableProperty().bind(vm.clientKey.isEmpty());
        origin(clientCertOrigin, vm.clientCertificate);
        origin(clientKeyOrigin, vm.clientKey);
    }

    /** Under a client file: the file the user chose, as they know it, and that Verifull uses its copy. */
    private void origin(Label label, StringProperty copy) {
        label.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            String original = vm.originalOf(copy.get());
            return original == null ? "" : "Chosen from " + original + "; a copy is kept in the app data.";
        }, copy));
        showWhenText(label);
    }

    private void testPanel() {
        testButton.setOnAction(e -> {
            vm.fillFromHostField();
            vm.testUpstream();
        });
        testButton.disableProperty().bind(vm.testStateProperty().isEqualTo(ProfileEditorViewModel.TestState.RUNNING));
        testProgress.visibleProperty().bind(vm.testStateProperty().isEqualTo(ProfileEditorViewModel.TestState.RUNNING));
        vm.testStateProperty().addListener((o, was, now) -> showTest());
        vm.testResultProperty().addListener((o, was, now) -> showTest());
        showTest();
    }

    private void showTest() {
        testResultBox.getChildren().clear();
        ProfileEditorViewModel.TestState state = vm.testStateProperty().get();
        if (state == ProfileEditorViewModel.TestState.RUNNING) {
            testStatus.setText("Connecting to " + vm.upstreamHost.get() + ":" + vm.upstreamPort.get() + "…");
            return;
        }
        UpstreamTestResult result = vm.testResultProperty().get();
        if (result == null) {
            testStatus.setText("");
            testResultBox.getChildren().add(CertificateViews.label(
                    "The result shows the server's certificate chain, the names it carries, its validity, and the TLS "
                            + "version and cipher — or exactly what failed and what to check.", "muted"));
            return;
        }
        testStatus.setText((result.ok() ? "Verified" : "Failed") + (result.elapsedMillis() > 0 ? " in " + result.elapsedMillis() + " ms" : ""));
        testResultBox.setId(result.ok() ? "test-ok" : "test-failed");
        testResultBox.getChildren().setAll(UpstreamTestView.of(result, name -> {
            vm.serverName.set(name);
            vm.testUpstream();
        }));
    }

    /** A CA file: its name, then each certificate in it with warnings. */
    private static final class CaFileCell extends ListCell<CaFileEntry> {
        @Override
        protected void updateItem(CaFileEntry entry, boolean empty) {
            super.updateItem(entry, empty);
            setText(null);
            if (empty || entry == null) {
                setGraphic(null);
                return;
            }
            VBox box = new VBox(4);
            box.getChildren().add(CertificateViews.label(entry.fileName(), "cert-title"));
            Label where = CertificateViews.label(entry.original() != null
                    ? entry.original() + " (a copy is kept in the app data: " + entry.path().getFileName() + ")"
                    : entry.path().toString(), "muted", "small");
            where.setId("ca-file-path");
            box.getChildren().add(where);
            if (entry.error() != null) {
                box.getChildren().add(CertificateViews.label(entry.error(), "field-error"));
            } else if (entry.certificates().isEmpty()) {
                box.getChildren().add(CertificateViews.label("Reading…", "muted", "small"));
            }
            for (CertificateFileInfo.Entry c : entry.certificates()) box.getChildren().add(CertificateViews.facts(c));
            box.setMaxWidth(Double.MAX_VALUE);
            box.prefWidthProperty().bind(getListView().widthProperty().subtract(30));
            setGraphic(box);
        }
    }
}
