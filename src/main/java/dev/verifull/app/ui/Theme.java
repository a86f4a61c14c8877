package dev.verifull.app.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;

/**
 * Applies the shared stylesheet plus the light or dark palette to every scene of the app. With
 * {@link Appearance#SYSTEM} the desktop is asked in the background; until it answers, light.
 */
public final class Theme {
    static final String BASE = "/dev/verifull/app/ui/verifull.css";
    static final String LIGHT = "/dev/verifull/app/ui/theme-light.css";
    static final String DARK = "/dev/verifull/app/ui/theme-dark.css";

    private final ObjectProperty<Appearance> appearance = new SimpleObjectProperty<>(Appearance.SYSTEM);
    private final ReadOnlyBooleanWrapper dark = new ReadOnlyBooleanWrapper();
    private final List<Scene> scenes = new ArrayList<>();
    private final BooleanSupplier systemPrefersDark;
    private final Executor background;
    private final Executor fx;
    private Boolean systemDark;

    public Theme(Appearance initial, BooleanSupplier systemPrefersDark, Executor background, Executor fx) {
        this.systemPrefersDark = systemPrefersDark;
        this.background = background;
        this.fx = fx;
        appearance.set(initial);
        appearance.addListener((o, was, now) -> update());
        dark.addListener((o, was, now) -> scenes.forEach(this::style));
        update();
    }

    public ObjectProperty<Appearance> appearanceProperty() {
        return appearance;
    }

    public ReadOnlyBooleanProperty darkProperty() {
        return dark.getReadOnlyProperty();
    }

    /** Styles the scene now and on every later change; scenes of closed windows are dropped. */
    public void register(Scene scene) {
        scenes.removeIf(s -> s.getWindow() != null && !s.getWindow().isShowing() && s != scene);
        if (!scenes.contains(scene)) scenes.add(scene);
        style(scene);
    }

    private void update() {
        if (appearance.get() != Appearance.SYSTEM) {
            dark.set(appearance.get() == Appearance.DARK);
        } else if (systemDark != null) {
            dark.set(systemDark);
        } else {
            background.execute(() -> {
                boolean answer = systemPrefersDark.getAsBoolean();
                fx.execute(() -> {
                    systemDark = answer;
                    if (appearance.get() == Appearance.SYSTEM) dark.set(answer);
                });
            });
        }
    }

    private void style(Scene scene) {
        String base = url(BASE);
        String palette = url(dark.get() ? DARK : LIGHT);
        scene.getStylesheets().setAll(palette, base);
    }

    private static String url(String resource) {
        return Objects.requireNonNull(Theme.class.getResource(resource), resource).toExternalForm();
    }
}
