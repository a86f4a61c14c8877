package dev.verifull.app.audit;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.verifull.app.profiles.FilePicker;
import dev.verifull.app.ui.Columns;
import dev.verifull.app.ui.Formats;
import dev.verifull.app.ui.FormattedCell;
import dev.verifull.app.ui.Shortcuts;
import dev.verifull.text.Printable;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

/** The audit log table: reload, filter, open the folder, export what is shown as CSV. */
public final class AuditController {
    private final AuditViewModel vm;
    private final FilePicker files;
    private final Consumer<Path> openFolder;
    /** While "Follow" is on: looks for new records once a second. */
    private final Timeline follow = new Timeline(new KeyFrame(javafx.util.Duration.seconds(1), e -> followNow()));

    @FXML private TextField filterField;
    @FXML private ComboBox<AuditViewModel.EventFilter> kindFilter;
    @FXML private DatePicker dayPicker;
    @FXML private Button anyDayButton;
    @FXML private ToggleButton followToggle;
    @FXML private Button reloadButton;
    @FXML private Label summaryLabel;
    @FXML private Button openFolderButton;
    @FXML private Button exportButton;
    @FXML private TableView<AuditRow> auditTable;
    @FXML private Label statusLabel;
    @FXML private Label detailLabel;

    public AuditController(AuditViewModel vm, FilePicker files, Consumer<Path> openFolder) {
        this.vm = vm;
        this.files = files;
        this.openFolder = openFolder;
    }

    @FXML
    private void initialize() {
        filterField.textProperty().bindBidirectional(vm.text);
        filterField.setPromptText(Shortcuts.FILTER.tip("Filter the audit log "));
        kindFilter.getItems().setAll(AuditViewModel.EventFilter.values());
        kindFilter.valueProperty().bindBidirectional(vm.kind);
        kindFilter.setAccessibleText("Show events of this kind");
        dayPicker.valueProperty().bindBidirectional(vm.day);
        dayPicker.setAccessibleText("Show records of this day");
        anyDayButton.disableProperty().bind(vm.day.isNull());
        follow.setCycleCount(Animation.INDEFINITE);
        followToggle.setTooltip(new Tooltip("Show new records as they are written"));
        followToggle.selectedProperty().addListener((o, was, on) -> {
            if (on) {
                follow.play();
                followNow();
            } else {
                follow.stop();
            }
        });
        summaryLabel.textProperty().bind(vm.summaryProperty());
        reloadButton.disableProperty().bind(vm.loadingProperty());
        reloadButton.setTooltip(new Tooltip(Shortcuts.RELOAD.tip("Read the log again")));
        columns();
        SortedList<AuditRow> sorted = new SortedList<>(vm.visibleRows());
        sorted.comparatorProperty().bind(auditTable.comparatorProperty());
        auditTable.setItems(sorted);
        auditTable.setPlaceholder(new Label("No audit records yet. Every session start, end and refusal is written here."));
        auditTable.setRowFactory(t -> new AuditTableRow());
        exportButton.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.visibleRows()));
        vm.rows().addListener((javafx.collections.ListChangeListener<AuditRow>) c -> {
            // following: the newest record (first) comes into view
            if (followToggle.isSelected() && !auditTable.getItems().isEmpty()) auditTable.scrollTo(0);
        });
        auditTable.getSelectionModel().selectedItemProperty().addListener((o, was, row) -> {
            String text = row == null ? "" : (row.message().isEmpty() ? "" : row.fullMessage())
                    + (row.backendPid().isEmpty() ? "" : (row.message().isEmpty() ? "" : "\n") + "Server process " + Printable.escape(row.backendPid())
                            + " (pg_stat_activity.pid)");
            boolean show = !text.isEmpty();
            detailLabel.setText(text);
            detailLabel.setVisible(show);
            detailLabel.setManaged(show);
        });
    }

    public void focusFilter() {
        filterField.requestFocus();
        filterField.selectAll();
    }

    @FXML
    public void reload() {
        vm.reload();
    }

    /** "Follow": new records show as they are written. */
    public void setFollowing(boolean on) {
        followToggle.setSelected(on);
    }

    public void stop() {
        follow.stop();
    }

    private void followNow() {
        if (auditTable.getScene() != null) vm.reloadIfChanged();
    }

    @FXML
    private void anyDay() {
        vm.day.set(null);
    }

    @FXML
    private void openFolder() {
        openFolder.accept(vm.directory());
    }

    @FXML
    private void exportCsv() {
        Path target = files.pick(auditTable.getScene().getWindow(), "Export the audit log", FilePicker.Kind.CSV_TARGET,
                "verifull-audit-" + LocalDate.now() + ".csv");
        if (target == null) return;
        statusLabel.setText("Exporting…");
        vm.exportCsv(target).whenComplete((count, error) -> javafx.application.Platform.runLater(() ->
                statusLabel.setText(error == null ? "Exported " + count + " records to " + target
                        : "Export failed: " + (error.getCause() != null ? error.getCause().getMessage() : error.getMessage()))));
    }

    private void columns() {
        TableColumn<AuditRow, Instant> time = column("Time", AuditRow::time, 168);
        time.setCellFactory(c -> new FormattedCell<>(t -> Formats.zonedDateTime(t, vm.zone()), null));
        column("Event", AuditRow::kind, 56);
        column("Profile", AuditRow::profile, 90);
        column("Session", AuditRow::session, 60);
        column("Who", AuditRow::who, 106);
        column("Machine", AuditRow::machine, 96);
        column("Client", AuditRow::client, 128);
        column("DB user", AuditRow::databaseUser, 62);
        column("Database", AuditRow::database, 74);
        TableColumn<AuditRow, String> outcome = column("Outcome", AuditRow::outcome, 118);
        outcome.setCellFactory(c -> new FormattedCell<>(s -> s, "outcome-cell"));
        column("Ended by", AuditRow::endedBy, 120);
        TableColumn<AuditRow, String> pid = column("PID", AuditRow::backendPid, 52);
        pid.setCellFactory(c -> new FormattedCell<>(s -> s, "number-cell"));
        TableColumn<AuditRow, String> message = column("Message", AuditRow::message, 170);
        message.setCellFactory(c -> new FormattedCell<>(s -> s, null));
        auditTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
    }

    private <T> TableColumn<AuditRow, T> column(String title, Function<AuditRow, T> value, double width) {
        return Columns.add(auditTable, "audit-col-", title, value, width);
    }

    private static final class AuditTableRow extends TableRow<AuditRow> {
        private final ContextMenu menu = new ContextMenu();

        AuditTableRow() {
            MenuItem copy = new MenuItem("Copy message");
            copy.setOnAction(e -> {
                ClipboardContent content = new ClipboardContent();
                content.putString(getItem().message());
                Clipboard.getSystemClipboard().setContent(content);
            });
            menu.getItems().add(copy);
        }

        @Override
        protected void updateItem(AuditRow row, boolean empty) {
            super.updateItem(row, empty);
            getStyleClass().remove("problem");
            if (empty || row == null) {
                setContextMenu(null);
                return;
            }
            if (row.problem()) getStyleClass().add("problem");
            setContextMenu(menu);
        }
    }
}
