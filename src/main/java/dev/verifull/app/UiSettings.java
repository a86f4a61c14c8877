package dev.verifull.app;

import dev.verifull.app.ui.Appearance;

/**
 * What the window remembers between runs. Bounds are NaN until the window was shown once.
 *
 * @param trayExplained the first close was told that Verifull keeps running in the tray (said once)
 */
public record UiSettings(double x, double y, double width, double height, boolean maximized, Appearance appearance,
                         boolean trayExplained) {
    public static final UiSettings DEFAULTS = new UiSettings(Double.NaN, Double.NaN, 1280, 800, false, Appearance.SYSTEM, false);

    public UiSettings {
        if (appearance == null) appearance = Appearance.SYSTEM;
        if (!(width >= 640)) width = DEFAULTS_WIDTH;
        if (!(height >= 420)) height = DEFAULTS_HEIGHT;
    }

    private static final double DEFAULTS_WIDTH = 1280;
    private static final double DEFAULTS_HEIGHT = 800;

    public boolean hasPosition() {
        return Double.isFinite(x) && Double.isFinite(y);
    }

    public UiSettings withBounds(double x, double y, double width, double height, boolean maximized) {
        return new UiSettings(x, y, width, height, maximized, appearance, trayExplained);
    }

    public UiSettings withAppearance(Appearance a) {
        return new UiSettings(x, y, width, height, maximized, a, trayExplained);
    }

    public UiSettings withTrayExplained() {
        return new UiSettings(x, y, width, height, maximized, appearance, true);
    }
}
