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

    /**
     * The system's file dialogs. Files to open are looked for where the last one was found, at first
     * in ~/Downloads, where a provider's CA bundle usually lands (else the home folder).
     */
    static FilePicker native_() {
        File[] lastFolder = {firstFolder()};
        return (owner, title, kind, suggestedName) -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(title);
            if (lastFolder[0] != null && lastFolder[0].isDirectory()) chooser.setInitialDirectory(lastFolder[0]);
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
            if (f != null && f.getParentFile() != null) lastFolder[0] = f.getParentFile();
            return f != null ? f.toPath() : null;
        };
    }

    private static File firstFolder() {
        File home = new File(System.getProperty("user.home", "."));
        File downloads = new File(home, "Downloads");
        return downloads.isDirectory() ? downloads : home;
    }
}
