package dev.verifull.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven wrote into the jar. */
public final class VersionInfo {
    private VersionInfo() {}

    public static String version() {
        try (InputStream in = VersionInfo.class.getResourceAsStream("/dev/verifull/version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
