package dev.verifull.profile;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where Verifull keeps its files: Linux {@code $XDG_CONFIG_HOME/verifull} (default
 * {@code ~/.config/verifull}), macOS {@code ~/Library/Application Support/Verifull}, Windows
 * {@code %APPDATA%\Verifull}. {@code VERIFULL_HOME} overrides all of them (tests, portable use).
 */
public final class AppDataDir {
    private AppDataDir() {}

    public static Path resolve() {
        return resolve(System.getProperty("os.name", ""), System.getenv(), System.getProperty("user.home", "."));
    }

    static Path resolve(String osName, Map<String, String> env, String home) {
        String override = env.get("VERIFULL_HOME");
        if (override != null && !override.isBlank()) return Path.of(override);
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            return appData != null && !appData.isBlank()
                    ? Path.of(appData, "Verifull")
                    : Path.of(home, "AppData", "Roaming", "Verifull");
        }
        if (os.startsWith("mac")) return Path.of(home, "Library", "Application Support", "Verifull");
        String xdg = env.get("XDG_CONFIG_HOME");
        return xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg, "verifull")
                : Path.of(home, ".config", "verifull");
    }

    public static Path localCa(Path base) {
        return base.resolve("local-ca");
    }

    public static Path audit(Path base) {
        return base.resolve("audit");
    }

    public static Path profiles(Path base) {
        return base.resolve("profiles.json");
    }

    /** Imported CA and client certificate files (copied here so profiles survive moves). */
    public static Path certificates(Path base) {
        return base.resolve("ca");
    }

    public static Path logs(Path base) {
        return base.resolve("logs");
    }

    /**
     * Where the app writes its log: the platform's place for logs, not the (often backed up,
     * sometimes synced) settings directory. Linux {@code $XDG_STATE_HOME/verifull/logs} (default
     * {@code ~/.local/state/verifull/logs}), macOS {@code ~/Library/Logs/Verifull}, Windows
     * {@code %LOCALAPPDATA%\Verifull\logs}; with {@code VERIFULL_HOME}, its {@code logs}.
     */
    public static Path logDirectory() {
        return logDirectory(System.getProperty("os.name", ""), System.getenv(), System.getProperty("user.home", "."));
    }

    static Path logDirectory(String osName, Map<String, String> env, String home) {
        String override = env.get("VERIFULL_HOME");
        if (override != null && !override.isBlank()) return logs(Path.of(override));
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String local = env.get("LOCALAPPDATA");
            return local != null && !local.isBlank()
                    ? Path.of(local, "Verifull", "logs")
                    : Path.of(home, "AppData", "Local", "Verifull", "logs");
        }
        if (os.startsWith("mac")) return Path.of(home, "Library", "Logs", "Verifull");
        String xdg = env.get("XDG_STATE_HOME");
        return xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg, "verifull", "logs")
                : Path.of(home, ".local", "state", "verifull", "logs");
    }
}
