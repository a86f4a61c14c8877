package dev.verifull.app.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses JavaFX's software renderer before the toolkit starts on a Linux machine that has no GPU
 * it can use (no readable and writable {@code /dev/dri} node, or {@code LIBGL_ALWAYS_SOFTWARE}):
 * there Mesa can only render in software, which JavaFX's OpenGL pipeline (es2) refuses ("System
 * GPU doesn't meet the es2 pipe requirement") and falls back to the software pipeline anyway, but
 * only after loading Mesa and LLVM, which stay mapped: about 60 MB of the app's RSS (virtual
 * machines, remote desktops, Xvfb). The window is drawn by the same pipeline as before; machines
 * with a usable GPU and every other OS keep JavaFX's own choice, and a {@code -Dprism.order} (or
 * {@code -Dprism.forceGPU=true}) given on the command line always wins.
 */
public final class SoftwareRendering {
    static final String ORDER = "prism.order";

    private SoftwareRendering() {}

    /** Call before any JavaFX class is loaded. */
    public static void chooseBeforeToolkit() {
        if (Boolean.getBoolean("prism.forceGPU")) return; // asked for OpenGL (the CDS training run: installers/Dist.java)
        String order = order(System.getProperty("os.name", ""), System.getProperty(ORDER), System.getenv(), Path.of("/dev/dri"));
        if (order != null) System.setProperty(ORDER, order);
    }

    /** The {@code prism.order} to set, or null to leave JavaFX's choice alone. */
    static String order(String osName, String current, Map<String, String> env, Path dri) {
        if (current != null) return null;
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) return null;
        String forced = env.getOrDefault("LIBGL_ALWAYS_SOFTWARE", "");
        boolean softwareGl = !forced.isEmpty() && !"0".equals(forced) && !"false".equalsIgnoreCase(forced);
        return softwareGl || !hasUsableGpu(dri) ? "sw" : null;
    }

    /** A DRM node Mesa could open (it opens them read-write); none means software OpenGL only. */
    static boolean hasUsableGpu(Path dri) {
        try (DirectoryStream<Path> nodes = Files.newDirectoryStream(dri)) {
            for (Path node : nodes) {
                String name = node.getFileName().toString();
                if ((name.startsWith("card") || name.startsWith("renderD")) && Files.isReadable(node) && Files.isWritable(node)) {
                    return true;
                }
            }
        } catch (IOException | SecurityException e) {
            return false; // no /dev/dri at all: no GPU driver
        }
        return false;
    }
}
