package dev.verifull.app.ui;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javafx.scene.Group;
import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.Image;
import javafx.scene.paint.Color;
import javafx.scene.shape.SVGPath;
import javafx.scene.transform.Scale;

/**
 * Window icons: {@code icons/png/verifull-<size>.png} (the build copies them into the jar, see
 * pom.xml), otherwise a shield drawn here.
 */
public final class AppIcons {
    static final int[] SIZES = {16, 24, 32, 48, 64, 128, 256};
    private static final String SHIELD = "M10,0 L20,4 L20,11 C20,17 15,21 10,23 C5,21 0,17 0,11 L0,4 Z";
    private static final String CHECK = "M5.5,11.5 L8.8,14.8 L14.8,7.6 L16.2,8.9 L8.8,17.4 L4.1,12.8 Z";

    private AppIcons() {}

    public static List<Image> windowIcons() {
        List<Image> packaged = new ArrayList<>();
        for (int size : SIZES) {
            try (InputStream in = AppIcons.class.getResourceAsStream("/dev/verifull/app/icons/png/verifull-" + size + ".png")) {
                if (in != null) packaged.add(new Image(in));
            } catch (java.io.IOException ignored) {
                // fall through to the drawn icon
            }
        }
        return packaged.isEmpty() ? List.of(drawn(32), drawn(64), drawn(128)) : packaged;
    }

    /** FX thread only (snapshot). */
    private static Image drawn(int size) {
        SVGPath shield = new SVGPath();
        shield.setContent(SHIELD);
        shield.setFill(Color.web("#2b66e0"));
        SVGPath check = new SVGPath();
        check.setContent(CHECK);
        check.setFill(Color.WHITE);
        Group g = new Group(shield, check);
        double scale = size / 24.0;
        g.getTransforms().add(new Scale(scale, scale));
        new Scene(g, Color.TRANSPARENT);
        SnapshotParameters p = new SnapshotParameters();
        p.setFill(Color.TRANSPARENT);
        return g.snapshot(p, null);
    }
}
