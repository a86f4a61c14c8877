package dev.verifull.app.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoftwareRenderingTest {
    @TempDir Path dir;

    @Test
    void linuxWithoutAGpuNodeGoesStraightToTheSoftwarePipeline() {
        assertEquals("sw", SoftwareRendering.order("Linux", null, Map.of(), dir.resolve("no-dri")));
        assertEquals("sw", SoftwareRendering.order("Linux", null, Map.of(), dir), "an empty /dev/dri");
    }

    @Test
    void aUsableGpuNodeLeavesJavaFxItsOwnChoice() throws Exception {
        Files.createFile(dir.resolve("renderD128"));
        assertNull(SoftwareRendering.order("Linux", null, Map.of(), dir));
        assertEquals("sw", SoftwareRendering.order("Linux", null, Map.of("LIBGL_ALWAYS_SOFTWARE", "1"), dir),
                "Mesa told to render in software");
        assertNull(SoftwareRendering.order("Linux", null, Map.of("LIBGL_ALWAYS_SOFTWARE", "0"), dir));
    }

    @Test
    void anOrderGivenOnTheCommandLineAndOtherSystemsAreLeftAlone() {
        assertNull(SoftwareRendering.order("Linux", "es2", Map.of(), dir.resolve("no-dri")));
        assertNull(SoftwareRendering.order("Mac OS X", null, Map.of(), dir.resolve("no-dri")));
        assertNull(SoftwareRendering.order("Windows 11", null, Map.of(), dir.resolve("no-dri")));
    }
}
