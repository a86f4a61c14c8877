package dev.verifull.app.ui;

import java.util.function.Function;

import dev.verifull.text.Printable;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;

/**
 * Shows a typed value as text, so a column still sorts by the value; text too long for a column
 * also shows whole in a tooltip. Control characters are escaped: cells show names clients chose.
 */
public final class FormattedCell<S, T> extends TableCell<S, T> {
    private static final int TOOLTIP_FROM_LENGTH = 40;

    private final Function<T, String> format;

    public FormattedCell(Function<T, String> format, String styleClass) {
        this.format = format;
        if (styleClass != null) getStyleClass().add(styleClass);
    }

    @Override
    protected void updateItem(T value, boolean empty) {
        super.updateItem(value, empty);
        String text = empty || value == null ? null : Printable.escape(format.apply(value));
        setText(text);
        setTooltip(text != null && text.length() > TOOLTIP_FROM_LENGTH ? new Tooltip(text) : null);
    }
}
