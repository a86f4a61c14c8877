package dev.verifull.app.profiles;

import java.io.File;
import java.nio.file.Path;

import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Asks the user for a file; a seam so tests can answer without a native dialog. */
@FunctionalInterface
public interface FilePicker {
    enum Kind { CERTIFICATE, KEY, CSV_TARGET, PEM_TARGET }

    /** @return the chosen file, or null when cancelled */
    Path pick(Window owner, String title, Kind kind, String suggestedName);

    static FilePicker native_() {
        return (owner, title, kind, suggestedName) -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(title);
            switch (kind) {
                case CERTIFICATE -> chooser.getExtensionFilters().addAll(
                        new FileChooser.ExtensionFilter("Certificates (*.pem, *.crt, *.cer)", "*.pem", "*.crt", "*.cer"),
                        new FileChooser.ExtensionFilter("All files", "*"));
                case KEY -> chooser.getExtensionFilters().addAll(
                        new FileChooser.ExtensionFilter("Private keys (*.key, *.pem)", "*.key", "*.pem"),
                        new FileChooser.ExtensionFilter("All files", "*"));
                case CSV_TARGET -> chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
                case PEM_TARGET -> chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PEM certificate", "*.pem"));
            }
            boolean save = kind == Kind.CSV_TARGET || kind == Kind.PEM_TARGET;
            if (suggestedName != null) chooser.setInitialFileName(suggestedName);
            File f = save ? chooser.showSaveDialog(owner) : chooser.showOpenDialog(owner);
            return f != null ? f.toPath() : null;
        };
    }
}
