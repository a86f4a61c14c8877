package dev.verifull.app.profiles;

import javafx.scene.control.SpinnerValueFactory;
import javafx.util.converter.IntegerStringConverter;

/**
 * Whole numbers from {@code min} to {@code max} for a Spinner. Unlike JavaFX's
 * IntegerSpinnerValueFactory it leaves a value from outside the range as it is (a hand-edited
 * profiles.json), so the editor shows the validator's message instead of quietly changing it;
 * the arrows step back into the range.
 */
final class CountValueFactory extends SpinnerValueFactory<Integer> {
    private final int min;
    private final int max;

    CountValueFactory(int min, int max) {
        this.min = min;
        this.max = max;
        setConverter(new IntegerStringConverter());
        setValue(min);
    }

    @Override
    public void decrement(int steps) {
        setValue(Math.max(min, Math.min(max, current() - steps)));
    }

    @Override
    public void increment(int steps) {
        setValue(Math.min(max, Math.max(min, current() + steps)));
    }

    private int current() {
        return getValue() != null ? getValue() : min;
    }
}
