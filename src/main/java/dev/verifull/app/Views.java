package dev.verifull.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Objects;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/** Loads an FXML file of this package tree with a controller factory. */
public final class Views {
    private Views() {}

    public static <T extends Parent> T load(String fxml, javafx.util.Callback<Class<?>, Object> controllers) {
        URL url = Objects.requireNonNull(Views.class.getResource("/dev/verifull/app/" + fxml), fxml);
        FXMLLoader loader = new FXMLLoader(url);
        loader.setControllerFactory(controllers);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + fxml, e);
        }
    }
}
