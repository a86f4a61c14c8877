package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The window icons come from icons/png, the one copy, which the build puts on the classpath. */
class AppIconsTest {
    @Test
    void everyWindowIconSizeIsTheOneInTheIconsFolder() throws Exception {
        for (int size : AppIcons.SIZES) {
            String name = "verifull-" + size + ".png";
            try (InputStream in = AppIcons.class.getResourceAsStream("/dev/verifull/app/icons/png/" + name)) {
                assertNotNull(in, name + " is not on the classpath (pom.xml copies icons/png)");
                assertArrayEquals(Files.readAllBytes(Path.of("icons/png", name)), in.readAllBytes(), name);
            }
        }
    }
}
