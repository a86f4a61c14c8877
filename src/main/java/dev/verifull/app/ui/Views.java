package dev.verifull.app.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Objects;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/** Loads a view's FXML with a controller factory; each FXML file lies beside its controller's package. */
public final class Views {
    private Views() {}

    /**
     * @param controller the view's controller class: the FXML file is looked up in its package
     * @param fxml       the file name, e.g. {@code sessions.fxml}
     */
    public static <T extends Parent> T load(Class<?> controller, String fxml, javafx.util.Callback<Class<?>, Object> controllers) {
        URL url = Objects.requireNonNull(controller.getResource(fxml), fxml);
        FXMLLoader loader = new FXMLLoader(url);
        // the app's own loader, not the thread's: with JavaFX in a module layer (DesktopStart) they differ
        loader.setClassLoader(controller.getClassLoader());
        loader.setControllerFactory(controllers);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + fxml, e);
        }
    }
}
