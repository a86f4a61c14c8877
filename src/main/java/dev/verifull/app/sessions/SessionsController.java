package dev.verifull.app.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.verifull.app.ui.Columns;
import dev.verifull.app.ui.Formats;
import dev.verifull.app.ui.FormattedCell;
import dev.verifull.app.ui.Shortcuts;
import dev.verifull.engine.SessionRecord;
import dev.verifull.text.Printable;
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
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

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
    @FXML private Button copyDetailButton;
    @FXML private VBox toldBox;
    @FXML private Label toldMessage;
    @FXML private Label toldDetail;
    @FXML private Label toldHint;
    @FXML private GridPane detailFacts;

    public SessionsController(SessionsViewModel vm, Supplier<Instant> clock) {
        this.vm = vm;
        this.clock = clock;
        this.poll = new Timeline(new KeyFrame(javafx.util.Duration.millis(500), e -> refresh()));
        poll.setCycleCount(Animation.INDEFINITE);
    }

    @FXML
    private void initialize() {
        filterField.textProperty().bindBidirectional(vm.text);
        filterField.setPromptText(Shortcuts.FILTER.tip("Filter sessions "));
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
        copyDetailButton.setOnAction(e -> {
            SessionRow row = table.getSelectionModel().getSelectedItem();
            if (row != null) copy(SessionDetail.of(row).asText());
        });
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

    /**
     * Selects one session (e.g. from a notification), clearing filters that hide it. False when the
     * feed no longer has it.
     */
    public boolean showSession(String engine, long id) {
        vm.refresh(clock.get());
        String key = engine + "#" + id;
        if (vm.rows().stream().noneMatch(r -> r.key().equals(key))) return false;
        if (vm.visibleRows().stream().noneMatch(r -> r.key().equals(key))) vm.clearFilters();
        for (SessionRow row : table.getItems()) {
            if (row.key().equals(key)) {
                table.getSelectionModel().select(row);
                table.scrollTo(row);
                table.requestFocus();
                return true;
            }
        }
        return false;
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
        text("Profile", SessionRow::profile, 80);
        TableColumn<SessionRow, String> who = text("Who", SessionRow::who, 104);
        headerTip(who, "A tailnet login, a tagged device's tags, or \"local: name\" for this computer's user");
        text("Machine", SessionRow::machine, 96);
        text("Client", SessionRow::clientAddress, 78);
        text("DB user", SessionRow::databaseUser, 60);
        text("Database", SessionRow::database, 72);
        text("Application", SessionRow::application, 90);
        text("Client TLS", SessionRow::clientTls, 76);
        text("Server TLS", SessionRow::upstreamTls, 78);
        TableColumn<SessionRow, String> outcome = text("Outcome", SessionRow::outcome, 112);
        outcome.getStyleClass().add("outcome-column");
        outcome.setCellFactory(c -> new FormattedCell<>(s -> s, "outcome-cell"));
        TableColumn<SessionRow, Instant> started = column("Started", SessionRow::started, 64);
        started.setCellFactory(c -> new FormattedCell<>(Formats::time, null));
        started.setSortType(TableColumn.SortType.DESCENDING);
        TableColumn<SessionRow, Duration> duration = column("Duration", SessionRow::duration, 64);
        duration.setCellFactory(c -> new FormattedCell<>(Formats::duration, "number-cell", Formats.NOT_APPLICABLE));
        TableColumn<SessionRow, Long> toServer = column("To server", SessionRow::bytesToServer, 70);
        toServer.setCellFactory(c -> new FormattedCell<>(Formats::bytes, "number-cell", Formats.NOT_APPLICABLE));
        headerTip(toServer, "Bytes client → server");
        TableColumn<SessionRow, Long> toClient = column("To client", SessionRow::bytesToClient, 66);
        toClient.setCellFactory(c -> new FormattedCell<>(Formats::bytes, "number-cell", Formats.NOT_APPLICABLE));
        headerTip(toClient, "Bytes server → client");
        TableColumn<SessionRow, Integer> pid = column("PID", SessionRow::backendPid, 52);
        pid.setCellFactory(c -> new FormattedCell<>(String::valueOf, "number-cell"));
        headerTip(pid, "The server's process id for this session: pg_stat_activity.pid");
        for (TableColumn<SessionRow, ?> c : List.of(duration, toServer, toClient, pid)) c.getStyleClass().add("number-column");
        // the columns share the width (no sideways scrolling); narrow windows shorten texts with an ellipsis
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
    }

    /** A header that explains itself on hover (the cell's own tooltip is the value's). */
    private static void headerTip(TableColumn<SessionRow, ?> column, String tip) {
        Label header = new Label(column.getText());
        header.setTooltip(new Tooltip(tip));
        column.setGraphic(header);
        column.setText("");
        header.setAccessibleText(header.getText() + ": " + tip);
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
        SessionDetail d = SessionDetail.of(row);
        detailTitle.setText(d.title());
        boolean told = d.told() != null;
        toldBox.setVisible(told);
        toldBox.setManaged(told);
        toldBox.getStyleClass().setAll("told-box", row.state() == SessionState.REFUSED ? "error-box" : "warn-box");
        if (told) {
            line(toldMessage, d.told().message());
            line(toldDetail, d.told().detail());
            line(toldHint, d.told().hint());
        }
        detailFacts.getChildren().clear();
        int i = 0;
        for (SessionDetail.Fact f : d.facts()) {
            Label name = new Label(f.name());
            name.getStyleClass().add("fact-name");
            Label value = new Label(f.value());
            value.setWrapText(true);
            value.setId("fact-" + f.id());
            GridPane.setValignment(name, javafx.geometry.VPos.TOP);
            detailFacts.addRow(i++, name, value);
        }
    }

    private static void line(Label label, String text) {
        label.setText(text);
        label.setVisible(text != null);
        label.setManaged(text != null);
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
