package dev.verifull.app;

import java.nio.file.Path;

/** What the main window's menu asks of the application around it. */
public interface WindowActions {
    void quit();

    void openFolder(Path folder);

    void exportLocalCa();

    void showShortcuts();
}
