package dev.verifull.app.os;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SystemAppearanceTest {
    @Test
    void darkGtkThemes() {
        assertTrue(SystemAppearance.darkGtkTheme("Adwaita:dark"));
        assertTrue(SystemAppearance.darkGtkTheme("'Yaru-dark'"));
        assertFalse(SystemAppearance.darkGtkTheme("Adwaita"));
        assertFalse(SystemAppearance.darkGtkTheme(null));
    }
}
