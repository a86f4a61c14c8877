package dev.verifull.app;

import java.io.IOException;

import dev.verifull.app.os.SingleInstance;
import dev.verifull.logging.Log;
import dev.verifull.logging.LogFormat;
import dev.verifull.logging.LogSetup;
import dev.verifull.logging.UncaughtExceptions;
import dev.verifull.profile.AppDataDir;
import javafx.application.Application;

/**
 * Starts the JavaFX application; kept apart from {@code Main} so headless runs never load JavaFX.
 * A second launch hands over to the running instance (its window comes forward) and returns.
 */
public final class DesktopLauncher {
    private static volatile SingleInstance instance;

    private DesktopLauncher() {}

    public static void launch(String[] args) {
        try {
            instance = SingleInstance.claim(AppDataDir.resolve());
            if (instance == null) return; // the running Verifull shows its window
        } catch (IOException e) {
            instance = null; // cannot tell: better two windows than none
        }
        startLogging();
        Application.launch(VerifullApp.class, args);
    }

    /** The app's log file, and every uncaught exception into it; the app runs on without a file if it cannot have one. */
    static void startLogging() {
        UncaughtExceptions.install();
        Log log = Log.of(DesktopLauncher.class);
        try {
            LogSetup.toAppFile(AppDataDir.logDirectory(), LogFormat.text("app"));
            String version = DesktopLauncher.class.getPackage().getImplementationVersion();
            log.info("Verifull " + (version != null ? version : "(development build)") + " started; Java "
                    + Runtime.version() + " on " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        } catch (IOException | RuntimeException e) {
            log.warn("no log file in " + AppDataDir.logDirectory() + ": " + e.getMessage());
        }
    }

    /** What "start at login" passes: go to the tray, do not open the window. */
    public static final String TRAY_FLAG = "--tray";
    /** The same, under the name other tray apps use. */
    public static final String BACKGROUND_FLAG = "--background";

    /** Whether the arguments ask for a start in the tray (no window). */
    public static boolean startsInTray(java.util.List<String> args) {
        return args.contains(TRAY_FLAG) || args.contains(BACKGROUND_FLAG);
    }

    /** This process's single-instance guard, or null when it could not be set up. */
    static SingleInstance instance() {
        return instance;
    }
}
