package dev.verifull.app.sessions;

import dev.verifull.app.ui.Columns;
import dev.verifull.app.ui.FormattedCell;
import dev.verifull.text.Printable;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import dev.verifull.app.ui.Formats;
import dev.verifull.engine.SessionRecord;

/**
 * The live sessions table. A timeline pulls the feed twice a second (cheap when nothing changed);
 * the selection survives refreshes; refused and rejected rows are tinted; a strip under the table
 * explains the selected session.
 */
public final class SessionsController {
    private final SessionsViewModel vm;
    private final Supplier<Instant> clock;
    private final Timeline poll;

    @FXML private TextField filterField;
    @FXML private ComboBox<String> profileFilter;
    @FXML private ComboBox<OutcomeFilter> outcomeFilter;
    @FXML private Label countLabel;
    @FXML private Button clearButton;
    @FXML private TableView<SessionRow> table;
    @FXML private VBox detailStrip;
    @FXML private Label detailTitle;
    @FXML private Label detailText;

    public SessionsController(SessionsViewModel vm, Supplier<Instant> clock) {
        this.vm = vm;
        this.clock = clock;
        this.poll = new Timeline(new KeyFrame(javafx.util.Duration.millis(500), e -> refresh()));
        poll.setCycleCount(Animation.INDEFINITE);
    }

    @FXML
    private void initialize() {
        filterField.textProperty().bindBidirectional(vm.text);
        profileFilter.setItems(vm.profileChoices());
        profileFilter.valueProperty().bindBidirectional(vm.profile);
        outcomeFilter.getItems().setAll(OutcomeFilter.values());
        outcomeFilter.valueProperty().bindBidirectional(vm.outcome);
        columns();
        SortedList<SessionRow> sorted = new SortedList<>(vm.visibleRows());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.setPlaceholder(new Label("No sessions yet. Start a profile and connect a client to it; every attempt shows here."));
        table.setRowFactory(t -> new SessionTableRow());
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> showDetail(now));
        vm.visibleRows().addListener((javafx.collections.ListChangeListener<SessionRow>) c -> updateCount());
        updateCount();
        refresh();
        poll.play();
    }

    public void focusFilter() {
        filterField.requestFocus();
        filterField.selectAll();
    }

    /** Pulls the feed now, keeping the selected session selected. */
    public void refresh() {
        SessionRow selected = table.getSelectionModel().getSelectedItem();
        if (!vm.refresh(clock.get()) || selected == null) return;
        for (SessionRow row : table.getItems()) {
            if (row.key().equals(selected.key())) {
                table.getSelectionModel().select(row);
                return;
            }
        }
    }

    public void stop() {
        poll.stop();
    }

    @FXML
    private void clearEnded() {
        vm.clearEnded(clock.get());
    }

    private void updateCount() {
        int shown = vm.visibleRows().size();
        int all = vm.rows().size();
        int live = vm.liveCountProperty().get();
        String text = shown == all ? all + (all == 1 ? " session" : " sessions") : shown + " of " + all + " sessions";
        countLabel.setText(live > 0 ? text + " · " + live + " live" : text);
    }

    private void columns() {
        TableColumn<SessionRow, SessionState> status = new TableColumn<>("");
        status.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().state()));
        status.setCellFactory(c -> new StateCell());
        status.setPrefWidth(30);
        status.setMinWidth(30);
        status.setResizable(false);
        status.setId("col-status");
        table.getColumns().add(status);
        text("Profile", SessionRow::profile, 92);
        text("Tailscale user", SessionRow::tailscaleUser, 140);
        text("Machine", SessionRow::machine, 94);
        text("Client", SessionRow::clientAddress, 80);
        text("DB user", SessionRow::databaseUser, 60);
        text("Database", SessionRow::database, 68);
        text("Application", SessionRow::application, 98);
        text("Client TLS", SessionRow::clientTls, 76);
        text("Server TLS", SessionRow::upstreamTls, 76);
        TableColumn<SessionRow, String> outcome = text("Outcome", SessionRow::outcome, 150);
        outcome.getStyleClass().add("outcome-column");
        outcome.setCellFactory(c -> new FormattedCell<>(s -> s, "outcome-cell"));
        TableColumn<SessionRow, Instant> started = column("Started", SessionRow::started, 74);
        started.setCellFactory(c -> new FormattedCell<>(Formats::time, null));
        started.setSortType(TableColumn.SortType.DESCENDING);
        TableColumn<SessionRow, Duration> duration = column("Duration", SessionRow::duration, 66);
        duration.setCellFactory(c -> new FormattedCell<>(Formats::duration, "number-cell"));
        TableColumn<SessionRow, Long> in = column("In", SessionRow::bytesIn, 56);
        in.setCellFactory(c -> new FormattedCell<>(Formats::bytes, "number-cell"));
        TableColumn<SessionRow, Long> out = column("Out", SessionRow::bytesOut, 58);
        out.setCellFactory(c -> new FormattedCell<>(Formats::bytes, "number-cell"));
        in.getStyleClass().add("number-column");
        out.getStyleClass().add("number-column");
        duration.getStyleClass().add("number-column");
        // the columns share the width (no sideways scrolling); narrow windows shorten texts with an ellipsis
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
    }

    private TableColumn<SessionRow, String> text(String title, Function<SessionRow, String> value, double width) {
        return column(title, value, width);
    }

    private <T> TableColumn<SessionRow, T> column(String title, Function<SessionRow, T> value, double width) {
        return Columns.add(table, "col-", title, value, width);
    }

    private void showDetail(SessionRow row) {
        boolean show = row != null;
        detailStrip.setVisible(show);
        detailStrip.setManaged(show);
        if (!show) return;
        SessionRecord r = row.record();
        StringBuilder title = new StringBuilder(row.profile()).append(" #").append(r.id()).append(" — ")
                .append(row.state() == SessionState.REFUSED ? "refused: " : "").append(row.outcome());
        if (r.sqlState() != null) title.append(" (SQLSTATE ").append(r.sqlState()).append(')');
        detailTitle.setText(Printable.escape(title.toString()));
        // One line per fact: escaping keeps a client-chosen name from adding lines of its own.
        StringBuilder text = new StringBuilder();
        if (r.message() != null) text.append(Printable.escape(r.message())).append('\n');
        if (!row.fullMachine().isEmpty() || !row.tailscaleUser().isEmpty()) {
            text.append("Who: ").append(Printable.escape(row.tailscaleUser())).append(" on ")
                    .append(Printable.escape(row.fullMachine())).append(" from ").append(row.client()).append('\n');
        }
        if (r.accessDecision() != null) text.append("Access: ").append(Printable.escape(r.accessDecision())).append('\n');
        if (r.upstreamCertificateSubject() != null) {
            text.append("Upstream certificate: ").append(Printable.escape(r.upstreamCertificateSubject()));
            if (r.upstreamTlsCipher() != null) text.append(" · ").append(r.upstreamTlsCipher());
            text.append('\n');
        }
        if (r.endReason() != null && !row.problem()) text.append("Ended: ").append(Printable.escape(r.endReason()));
        detailText.setText(text.toString().strip());
    }

    private static void copy(String text) {
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
    }

    /** Tints problem rows and offers copy / end session on right-click. */
    private final class SessionTableRow extends TableRow<SessionRow> {
        private final MenuItem end = new MenuItem("End session");
        private final ContextMenu menu = new ContextMenu();
        // the row the menu was opened on: refreshes may give this cell another session while it is open
        private SessionRow target;

        SessionTableRow() {
            MenuItem copyRow = new MenuItem("Copy row");
            copyRow.setOnAction(e -> copy(target.asText()));
            MenuItem copyMessage = new MenuItem("Copy message");
            copyMessage.setOnAction(e -> copy(Formats.orEmpty(target.record().message())));
            end.setOnAction(e -> vm.end(target));
            menu.getItems().addAll(copyRow, copyMessage, new SeparatorMenuItem(), end);
            setOnContextMenuRequested(e -> {
                target = getItem();
                if (target != null) end.setDisable(!target.live());
            });
        }

        @Override
        protected void updateItem(SessionRow row, boolean empty) {
            super.updateItem(row, empty);
            getStyleClass().remove("problem");
            if (empty || row == null) {
                setContextMenu(null);
                setTooltip(null);
                return;
            }
            if (row.problem()) getStyleClass().add("problem");
            setContextMenu(menu);
        }
    }

    private static final class StateCell extends TableCell<SessionRow, SessionState> {
        private final Region dot = new Region();

        StateCell() {
            getStyleClass().add("state-cell");
        }

        @Override
        protected void updateItem(SessionState state, boolean empty) {
            super.updateItem(state, empty);
            if (empty || state == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            dot.getStyleClass().setAll("dot", state.name().toLowerCase(Locale.ROOT));
            setGraphic(dot);
            setTooltip(new Tooltip(state.label()));
        }
    }
}
