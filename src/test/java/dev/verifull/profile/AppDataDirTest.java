package dev.verifull.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Where the app's log goes on each system: the platform's place for logs, not the settings directory. */
class AppDataDirTest {
    @Test
    void logDirectoryPerPlatform() {
        assertEquals(Path.of("/state/verifull/logs"), AppDataDir.logDirectory("Linux", Map.of("XDG_STATE_HOME", "/state"), "/home/me"));
        assertEquals(Path.of("/home/me/.local/state/verifull/logs"), AppDataDir.logDirectory("Linux", Map.of(), "/home/me"));
        assertEquals(Path.of("/home/me/.local/state/verifull/logs"), AppDataDir.logDirectory("Linux", Map.of("XDG_STATE_HOME", "relative"), "/home/me"),
                "XDG: a relative path is invalid and ignored");
        assertEquals(Path.of("/Users/me/Library/Logs/Verifull"), AppDataDir.logDirectory("Mac OS X", Map.of(), "/Users/me"));
        assertEquals(Path.of("C:\\Users\\me\\AppData\\Local", "Verifull", "logs"),
                AppDataDir.logDirectory("Windows 11", Map.of("LOCALAPPDATA", "C:\\Users\\me\\AppData\\Local"), "C:\\Users\\me"));
        assertEquals(Path.of("C:\\Users\\me", "AppData", "Local", "Verifull", "logs"), AppDataDir.logDirectory("Windows 11", Map.of(), "C:\\Users\\me"));
        assertEquals(Path.of("/portable/logs"), AppDataDir.logDirectory("Linux", Map.of("VERIFULL_HOME", "/portable", "XDG_STATE_HOME", "/state"), "/home/me"));
    }
}
