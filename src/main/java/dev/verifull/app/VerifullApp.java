package dev.verifull.app;

import javafx.application.Application;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/** The desktop window. For now it explains how to run the proxy headless. */
public final class VerifullApp extends Application {
    @Override
    public void start(Stage stage) {
        Label title = new Label("Verifull");
        title.setStyle("-fx-font-size: 22px; -fx-font-weight: bold;");
        Label body = new Label("""
                The desktop window is on its way.
                Until then, run a verified proxy from a terminal:

                  java -jar verifull.jar serve --listen 127.0.0.1:6432 \\
                      --upstream db.example.com:5432 --upstream-ca ca.pem
                """);
        body.setStyle("-fx-font-family: monospace;");
        VBox root = new VBox(12, title, body);
        root.setPadding(new Insets(24));
        stage.setTitle("Verifull");
        stage.setScene(new Scene(root, 640, 300));
        stage.show();
    }
}
