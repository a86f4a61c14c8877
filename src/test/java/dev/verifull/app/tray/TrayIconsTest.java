package dev.verifull.app.tray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/** The tray shows the drawings of icons/tray, the one copy, which the build puts on the classpath. */
class TrayIconsTest {
    @Test
    void everyStateAndTraySizeShowsTheDrawingFromTheIconsFolder() throws Exception {
        Map<Integer, String> fileForSize = Map.of(16, "16", 22, "22", 32, "32", 48, "32@2x");
        for (OverallState state : OverallState.values()) {
            for (var e : fileForSize.entrySet()) {
                String file = state.name().toLowerCase(Locale.ROOT) + "-" + e.getValue() + ".png";
                BufferedImage expected = ImageIO.read(Path.of("icons/tray", file).toFile());
                assertTrue(TrayIcons.image(state, e.getKey()) instanceof BufferedImage, file);
                BufferedImage shown = (BufferedImage) TrayIcons.image(state, e.getKey());
                assertEquals(expected.getWidth(), shown.getWidth(), file);
                assertEquals(expected.getHeight(), shown.getHeight(), file);
                for (int y = 0; y < expected.getHeight(); y++) {
                    for (int x = 0; x < expected.getWidth(); x++) {
                        assertEquals(expected.getRGB(x, y), shown.getRGB(x, y), file + " differs at " + x + "," + y);
                    }
                }
            }
        }
    }
}
