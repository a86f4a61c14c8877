package dev.verifull.app.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * "Start Verifull at login", done the way each OS expects: an XDG autostart entry on Linux, a
 * LaunchAgent on macOS, the per-user Run key on Windows. Off unless the user turns it on. Only
 * offered for the installed app, whose launcher path jpackage puts in {@code jpackage.app-path}.
 * Each entry passes {@value #ARGUMENT}: started at login, the app goes to the tray without
 * opening its window.
 * Blocking (files, {@code reg.exe}): call it off the FX thread.
 */
public final class StartAtLogin {
    static final String LABEL = "dev.verifull.Verifull";
    /** What the login start passes (the desktop launcher's start-in-the-tray flag). */
    public static final String ARGUMENT = "--tray";
    private static final String RUN_KEY = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";

    /** Runs a command and returns its exit code (Windows registry access). */
    interface Commands {
        int run(List<String> command) throws IOException, InterruptedException;
    }

    private final String os;
    private final Path home;
    private final Map<String, String> env;
    private final String launcher;
    private final Commands commands;

    StartAtLogin(String osName, Path home, Map<String, String> env, String launcher, Commands commands) {
        this.os = osName.toLowerCase(Locale.ROOT);
        this.home = home;
        this.env = env;
        this.launcher = launcher;
        this.commands = commands;
    }

    public static StartAtLogin forThisComputer() {
        return new StartAtLogin(System.getProperty("os.name", ""), Path.of(System.getProperty("user.home", ".")),
                System.getenv(), System.getProperty("jpackage.app-path"), command -> {
                    Process p = new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        return -1;
                    }
                    return p.exitValue();
                });
    }

    /** False when running from a build (no installed launcher to start). */
    public boolean available() {
        return launcher != null && !launcher.isBlank();
    }

    public boolean enabled() throws IOException, InterruptedException {
        if (!available()) return false;
        if (windows()) return commands.run(List.of("reg", "query", RUN_KEY, "/v", "Verifull")) == 0;
        return Files.exists(entryFile());
    }

    public void setEnabled(boolean on) throws IOException, InterruptedException {
        if (!available()) throw new IOException("only the installed Verifull can start at login");
        if (windows()) {
            List<String> cmd = on
                    ? List.of("reg", "add", RUN_KEY, "/v", "Verifull", "/t", "REG_SZ", "/d", "\"" + launcher + "\" " + ARGUMENT, "/f")
                    : List.of("reg", "delete", RUN_KEY, "/v", "Verifull", "/f");
            int exit = commands.run(cmd);
            if (exit != 0 && on) throw new IOException("reg.exe could not write the Run key (exit " + exit + ")");
            return;
        }
        Path file = entryFile();
        if (!on) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, mac() ? launchAgent() : desktopEntry());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    Path entryFile() {
        if (mac()) return home.resolve("Library/LaunchAgents/" + LABEL + ".plist");
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".config");
        return config.resolve("autostart/verifull.desktop");
    }

    private String desktopEntry() {
        Path icon = Path.of(launcher).getParent().resolveSibling("lib").resolve("Verifull.png");
        return "[Desktop Entry]\n"
                + "Type=Application\n"
                + "Name=Verifull\n"
                + "Comment=Verified TLS to your PostgreSQL databases\n"
                + "Exec=\"" + launcher + "\" " + ARGUMENT + "\n"
                + "Icon=" + icon + "\n"
                + "Terminal=false\n"
                + "X-GNOME-Autostart-enabled=true\n";
    }

    private String launchAgent() {
        // .../Verifull.app/Contents/MacOS/Verifull -> .../Verifull.app, opened the way Finder would.
        Path app = Path.of(launcher).getParent().getParent().getParent();
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                  <key>Label</key><string>%s</string>
                  <key>ProgramArguments</key>
                  <array><string>/usr/bin/open</string><string>-a</string><string>%s</string><string>--args</string><string>%s</string></array>
                  <key>RunAtLoad</key><true/>
                  <key>ProcessType</key><string>Interactive</string>
                  <key>LimitLoadToSessionType</key><string>Aqua</string>
                </dict>
                </plist>
                """.formatted(LABEL, xmlEscape(app.toString()), ARGUMENT);
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private boolean windows() {
        return os.startsWith("windows");
    }

    private boolean mac() {
        return os.startsWith("mac");
    }
}
