package dev.verifull.app.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartAtLoginTest {
    @TempDir
    Path home;

    @Test
    void linuxWritesAnXdgAutostartEntryAndRemovesIt() throws Exception {
        StartAtLogin s = new StartAtLogin("Linux", home, Map.of(), "/opt/verifull/bin/Verifull", c -> 1);
        assertFalse(s.enabled(), "off by default");
        s.setEnabled(true);
        Path entry = home.resolve(".config/autostart/verifull.desktop");
        String text = Files.readString(entry);
        assertTrue(text.contains("Exec=\"/opt/verifull/bin/Verifull\" --tray\n") && text.contains("Type=Application")
                && text.contains("Icon=/opt/verifull/lib/Verifull.png"), text);
        assertTrue(s.enabled());
        s.setEnabled(false);
        assertFalse(Files.exists(entry));
        assertFalse(s.enabled());
    }

    @Test
    void linuxHonoursXdgConfigHome() throws Exception {
        Path xdg = home.resolve("xdg");
        StartAtLogin s = new StartAtLogin("Linux", home, Map.of("XDG_CONFIG_HOME", xdg.toString()), "/opt/verifull/bin/Verifull", c -> 1);
        s.setEnabled(true);
        assertTrue(Files.exists(xdg.resolve("autostart/verifull.desktop")));
    }

    @Test
    void macWritesALaunchAgentThatOpensTheApp() throws Exception {
        StartAtLogin s = new StartAtLogin("Mac OS X", home, Map.of(), "/Applications/Verifull.app/Contents/MacOS/Verifull", c -> 1);
        s.setEnabled(true);
        String plist = Files.readString(home.resolve("Library/LaunchAgents/dev.verifull.Verifull.plist"));
        assertTrue(plist.contains("<string>/usr/bin/open</string><string>-a</string><string>/Applications/Verifull.app</string>"
                + "<string>--args</string><string>--tray</string>")
                && plist.contains("<key>RunAtLoad</key><true/>"), plist);
    }

    @Test
    void windowsUsesThePerUserRunKey() throws Exception {
        List<List<String>> ran = new ArrayList<>();
        StartAtLogin s = new StartAtLogin("Windows 11", home, Map.of(), "C:\\Users\\me\\AppData\\Local\\Verifull\\Verifull.exe", c -> {
            ran.add(c);
            return 0;
        });
        s.setEnabled(true);
        assertEquals(List.of("reg", "add", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", "/v", "Verifull", "/t", "REG_SZ",
                "/d", "\"C:\\Users\\me\\AppData\\Local\\Verifull\\Verifull.exe\" --tray", "/f"), ran.get(0));
        assertTrue(s.enabled());
        s.setEnabled(false);
        assertEquals("delete", ran.get(2).get(1));
    }

    @Test
    void notOfferedWithoutAnInstalledLauncher() {
        StartAtLogin s = new StartAtLogin("Linux", home, Map.of(), null, c -> 0);
        assertFalse(s.available());
        assertThrows(IOException.class, () -> s.setEnabled(true));
    }
}
