package dev.verifull.app;

import javafx.application.Application;

/** Starts the JavaFX application; kept apart from {@code Main} so headless runs never load JavaFX. */
public final class DesktopLauncher {
    private DesktopLauncher() {}

    public static void launch(String[] args) {
        Application.launch(VerifullApp.class, args);
    }
}
