package dev.verifull.app.ui;

import java.util.Locale;
import java.util.function.Function;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * Table columns that show a value computed from the row, with a stable id for tests and CSS; as
 * text with control characters escaped ({@link FormattedCell}) unless the caller sets another cell.
 */
public final class Columns {
    private Columns() {}

    public static <S, T> TableColumn<S, T> add(TableView<S> table, String idPrefix, String title,
                                               Function<S, T> value, double width) {
        TableColumn<S, T> col = new TableColumn<>(title);
        col.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(value.apply(c.getValue())));
        col.setCellFactory(c -> new FormattedCell<>(String::valueOf, null));
        col.setPrefWidth(width);
        col.setMinWidth(Math.min(width, 44));
        col.setId(idPrefix + title.toLowerCase(Locale.ROOT).replace(' ', '-'));
        table.getColumns().add(col);
        return col;
    }
}
