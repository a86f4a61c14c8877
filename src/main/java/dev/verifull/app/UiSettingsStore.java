package dev.verifull.app;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

/**
 * {@code ui.json} in the app-data dir: window bounds, appearance, whether closing was explained. Blocking; a broken or missing
 * file just means defaults (these are conveniences, nothing to warn about).
 */
public final class UiSettingsStore {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final Path file;

    public UiSettingsStore(Path baseDir) {
        this.file = baseDir.resolve("ui.json");
    }

    public UiSettings load() {
        if (!Files.isRegularFile(file)) return UiSettings.DEFAULTS;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            UiSettings s = GSON.fromJson(in, UiSettings.class);
            // files from before a setting existed read it as Gson's default (false: not told yet)
            return s != null ? new UiSettings(s.x(), s.y(), s.width(), s.height(), s.maximized(), s.appearance(), s.trayExplained())
                    : UiSettings.DEFAULTS;
        } catch (IOException | JsonParseException | IllegalArgumentException e) {
            return UiSettings.DEFAULTS;
        }
    }

    public void save(UiSettings settings) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), ".ui", ".json");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            GSON.toJson(settings, out);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
