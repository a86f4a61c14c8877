package dev.verifull;

import java.lang.reflect.InvocationTargetException;

import dev.verifull.cli.Cli;
import dev.verifull.cli.ServeWarmUp;
import dev.verifull.engine.NettyProperties;

/**
 * Picks the headless command line or the desktop app from the arguments: none, or only the
 * desktop's own {@code --tray} / {@code --background} (what "start at login" passes), open the app.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        NettyProperties.applyDefaults();
        if (!desktop(args)) {
            ServeWarmUp.startFor(args);
            System.exit(Cli.run(args));
        }
        // Loaded by name so the headless path never touches JavaFX classes.
        try {
            Class.forName("dev.verifull.app.DesktopStart")
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (ReflectiveOperationException e) {
            Throwable why = whatFailed(e);
            System.err.println("verifull: the desktop app could not start (" + why + "); "
                    + "use 'verifull serve --help' for the headless proxy");
            why.printStackTrace(); // for a bug report: the line above alone did not say where
            System.exit(1);
        }
    }

    /** What went wrong inside the reflective calls to the desktop start, not that they were reflective. */
    static Throwable whatFailed(Throwable e) {
        while (e instanceof InvocationTargetException && e.getCause() != null) e = e.getCause();
        return e;
    }

    /** No arguments, or only the desktop app's start-in-the-tray flags (kept in step with DesktopLauncher). */
    static boolean desktop(String[] args) {
        for (String a : args) {
            if (!a.equals("--tray") && !a.equals("--background")) return false;
        }
        return true;
    }
}
