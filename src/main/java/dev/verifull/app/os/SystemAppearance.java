package dev.verifull.app.os;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Asks the desktop whether it prefers dark. JavaFX 21 has no API for this (it arrives in 22), so:
 * {@code GTK_THEME}, then GNOME's {@code color-scheme} setting, macOS's {@code AppleInterfaceStyle},
 * Windows' {@code AppsUseLightTheme}. Runs commands: call it off the FX thread.
 */
public final class SystemAppearance {
    private SystemAppearance() {}

    public static boolean prefersDark() {
        return prefersDark(System.getProperty("os.name", ""), System.getenv());
    }

    static boolean prefersDark(String osName, Map<String, String> env) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac")) {
            return output(List.of("defaults", "read", "-g", "AppleInterfaceStyle")).trim().equalsIgnoreCase("dark");
        }
        if (os.startsWith("windows")) {
            String out = output(List.of("reg", "query", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize",
                    "/v", "AppsUseLightTheme"));
            return out.contains("0x0");
        }
        return darkGtkTheme(env.get("GTK_THEME"))
                || output(List.of("gsettings", "get", "org.gnome.desktop.interface", "color-scheme")).contains("prefer-dark")
                || darkGtkTheme(output(List.of("gsettings", "get", "org.gnome.desktop.interface", "gtk-theme")));
    }

    static boolean darkGtkTheme(String theme) {
        return theme != null && theme.toLowerCase(Locale.ROOT).matches(".*[-:]dark.*");
    }

    /** The command's standard output, or "" when it is missing, fails or takes more than 2 s. */
    private static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            try (InputStream in = p.getInputStream()) {
                return p.exitValue() == 0 ? new String(in.readNBytes(4096), StandardCharsets.UTF_8) : "";
            }
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
