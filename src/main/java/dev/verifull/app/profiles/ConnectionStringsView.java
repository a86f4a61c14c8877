package dev.verifull.app.profiles;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.verifull.connect.ConnectionString;
import dev.verifull.connect.ConnectionString.Kind;
import javafx.animation.PauseTransition;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.geometry.VPos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The details pane's connection strings: the common forms in view, the others under "More formats",
 * each with a Copy button; while the profile lacks what a string needs to work (its database or
 * user), every Copy button is off and a box says what to add.
 */
final class ConnectionStringsView {
    /** Shown without opening "More formats": what most people paste. */
    private static final Set<Kind> FIRST = Set.of(Kind.PSQL_COMMAND, Kind.LIBPQ_URI, Kind.JDBC_URL);

    private final GridPane grid;
    private final Runnable edit;
    private boolean moreExpanded;

    /** @param edit opens the profile in the editor, from the box that says what is missing */
    ConnectionStringsView(GridPane grid, Runnable edit) {
        this.grid = grid;
        this.edit = edit;
    }

    /** @param missing what the profile lacks for the strings to work, e.g. "database user"; empty when nothing */
    void show(List<ConnectionString> strings, List<String> missing) {
        grid.getChildren().clear();
        int row = 0;
        boolean usable = missing.isEmpty();
        if (!usable) grid.add(missingBox(missing), 0, row++, 2, 1);
        GridPane more = new GridPane();
        more.setHgap(grid.getHgap());
        more.setVgap(grid.getVgap());
        ColumnConstraints text = new ColumnConstraints();
        text.setHgrow(Priority.ALWAYS);
        text.setMinWidth(200);
        ColumnConstraints button = new ColumnConstraints();
        button.setMinWidth(80);
        more.getColumnConstraints().setAll(text, button);
        int moreRow = 0;
        for (ConnectionString c : strings) {
            if (FIRST.contains(c.kind())) row = add(grid, row, c, usable);
            else moreRow = add(more, moreRow, c, usable);
        }
        if (moreRow > 0) {
            TitledPane pane = new TitledPane("More formats: DBeaver, SQLAlchemy, environment, pg_service.conf, .pgpass", more);
            pane.setMinWidth(0); // the strings wrap to the card's width instead of widening it
            more.setMinWidth(0);
            pane.setId("more-connection-formats");
            pane.getStyleClass().add("more-formats");
            pane.setAnimated(false);
            pane.setExpanded(moreExpanded);
            pane.expandedProperty().addListener((o, was, now) -> moreExpanded = now); // kept while the status refreshes
            GridPane.setMargin(pane, new Insets(8, 0, 0, 0));
            grid.add(pane, 0, row, 2, 1);
        }
    }

    /** Why no string can be copied yet, and the way to fix it. */
    private Region missingBox(List<String> missing) {
        String what = String.join(" and the ", missing);
        Label text = new Label("Add the " + what + " to this profile to copy a connection string. Without "
                + (missing.contains("database user") ? "a user, clients log in as your computer's user name" : "a database, clients ask for one named like the user")
                + ", and the server refuses them.");
        text.setWrapText(true);
        text.setId("connect-missing");
        Button fix = new Button("Edit profile");
        fix.setId("connect-missing-edit");
        fix.getStyleClass().add("secondary");
        fix.setOnAction(e -> edit.run());
        VBox box = new VBox(6, text, fix);
        box.getStyleClass().add("warn-box");
        GridPane.setMargin(box, new Insets(4, 0, 6, 0));
        return box;
    }

    private static int add(GridPane grid, int row, ConnectionString c, boolean usable) {
        Label label = new Label(c.label());
        label.getStyleClass().addAll("fact-name", "small");
        label.setPadding(new Insets(row == 0 ? 0 : 8, 0, 0, 0));
        grid.add(label, 0, row++, 2, 1); // labels get their own line above the text
        if (!c.available()) {
            Label why = note(c.note());
            why.setId("unavailable-" + c.kind());
            grid.add(why, 0, row++, 2, 1);
            return row;
        }
        Label text = new Label(c.text());
        text.setWrapText(true);
        text.setMaxWidth(Double.MAX_VALUE);
        text.getStyleClass().add("code-block");
        text.setId("connection-" + c.kind());
        Button copy = copyButton("copy-" + c.kind(), c.text(), c.label(), usable);
        grid.addRow(row++, text, copy);
        for (Map.Entry<String, String> field : c.fields().entrySet()) {
            Label name = new Label(field.getKey());
            name.getStyleClass().add("small");
            name.setMinWidth(Region.USE_PREF_SIZE);
            Label value = new Label(field.getValue());
            value.getStyleClass().addAll("mono", "small");
            value.setMaxWidth(Double.MAX_VALUE);
            HBox line = new HBox(10, name, value);
            HBox.setHgrow(value, Priority.ALWAYS);
            grid.addRow(row++, line, copyButton("copy-" + c.kind() + "-" + field.getKey().replace(' ', '-'), field.getValue(),
                    c.label() + ": " + field.getKey(), usable));
        }
        if (!c.note().isEmpty()) grid.add(note(c.note()), 0, row++, 2, 1);
        return row;
    }

    private static Label note(String text) {
        Label note = new Label(text);
        note.setWrapText(true);
        note.getStyleClass().addAll("muted", "small");
        return note;
    }

    private static Button copyButton(String id, String text, String what, boolean usable) {
        Button copy = new Button("Copy");
        copy.getStyleClass().add("secondary");
        copy.setId(id);
        copy.setMinWidth(76);
        copy.setDisable(!usable);
        copy.setAccessibleText("Copy " + what);
        copy.setTooltip(new Tooltip(usable ? "Copy " + what : "Add what is missing to the profile first"));
        copy.setOnAction(e -> copy(text, copy));
        GridPane.setHalignment(copy, HPos.RIGHT);
        GridPane.setValignment(copy, VPos.TOP);
        return copy;
    }

    private static void copy(String text, Button button) {
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
        button.setText("Copied ✓");
        button.getStyleClass().add("copied");
        PauseTransition back = new PauseTransition(Duration.seconds(1.6));
        back.setOnFinished(e -> {
            button.setText("Copy");
            button.getStyleClass().remove("copied");
        });
        back.play();
    }
}
