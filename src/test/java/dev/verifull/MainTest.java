package dev.verifull;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

import dev.verifull.app.DesktopLauncher;
import org.junit.jupiter.api.Test;

/** No arguments open the window; the login start's --tray opens the app too, in the tray; anything else is the command line. */
class MainTest {
    @Test
    void noArgumentsOrOnlyTheTrayFlagsStartTheDesktopApp() {
        assertTrue(Main.desktop(new String[0]), "java -jar verifull.jar opens the window");
        assertTrue(Main.desktop(new String[] {"--tray"}));
        assertTrue(Main.desktop(new String[] {"--background"}));
        assertFalse(Main.desktop(new String[] {"serve", "--help"}));
        assertFalse(Main.desktop(new String[] {"--tray", "serve"}));
        assertFalse(Main.desktop(new String[] {"--version"}));
    }

    @Test
    void theTrayFlagsMeanNoWindowAtFirst() {
        assertTrue(DesktopLauncher.startsInTray(List.of("--tray")));
        assertTrue(DesktopLauncher.startsInTray(List.of("--background")));
        assertFalse(DesktopLauncher.startsInTray(List.of()));
        assertTrue(dev.verifull.app.os.StartAtLogin.ARGUMENT.equals(DesktopLauncher.TRAY_FLAG), "what login passes is what the app understands");
    }

    @Test
    void aFailedDesktopStartNamesWhatFailedNotTheReflection() {
        IllegalStateException real = new IllegalStateException("Unable to open DISPLAY");
        // DesktopStart invokes DesktopLauncher reflectively too: two wrappers around the real failure
        InvocationTargetException twice = new InvocationTargetException(new InvocationTargetException(real));
        assertSame(real, Main.whatFailed(twice));
        ClassNotFoundException missing = new ClassNotFoundException("dev.verifull.app.DesktopStart");
        assertSame(missing, Main.whatFailed(missing));
    }
}
