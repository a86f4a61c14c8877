package dev.verifull;

import dev.verifull.cli.Cli;

/** Picks the headless command line or the desktop app from the arguments. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0) {
            System.exit(Cli.run(args));
        }
        // Loaded by name so the headless path never touches JavaFX classes.
        try {
            Class.forName("dev.verifull.app.DesktopLauncher")
                    .getMethod("launch", String[].class)
                    .invoke(null, (Object) args);
        } catch (ReflectiveOperationException e) {
            System.err.println("verifull: the desktop app could not start (" + e + "); "
                    + "use 'verifull serve --help' for the headless proxy");
            System.exit(1);
        }
    }
}
