package dev.verifull.app.tray;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Tray images per overall state: the {@code icons/tray/<state>-<size>.png} drawings (the build
 * copies them into the jar, see pom.xml), otherwise a drawn shield (grey idle, green with a check
 * running, amber with a question mark when an upstream is not verified, red with an exclamation
 * mark on error).
 */
final class TrayIcons {
    private TrayIcons() {}

    static Image image(OverallState state, int size) {
        Image packaged = packaged(state, size);
        return packaged != null ? packaged : drawn(state, Math.max(16, size));
    }

    private static Image packaged(OverallState state, int size) {
        String s = state.name().toLowerCase(Locale.ROOT);
        // icons/tray has 16, 22 and 32 px images, each also at twice the size
        String file = size <= 16 ? s + "-16.png" : size <= 22 ? s + "-22.png" : size <= 32 ? s + "-32.png" : s + "-32@2x.png";
        try (InputStream in = TrayIcons.class.getResourceAsStream("/dev/verifull/app/icons/tray/" + file)) {
            return in != null ? ImageIO.read(in) : null;
        } catch (IOException e) {
            return null; // fall back to the drawn icon
        }
    }

    static BufferedImage drawn(OverallState state, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        double s = size / 24.0;
        Path2D shield = new Path2D.Double();
        shield.moveTo(12 * s, 1.5 * s);
        shield.lineTo(21 * s, 5 * s);
        shield.lineTo(21 * s, 11.5 * s);
        shield.curveTo(21 * s, 17 * s, 16.5 * s, 20.8 * s, 12 * s, 22.5 * s);
        shield.curveTo(7.5 * s, 20.8 * s, 3 * s, 17 * s, 3 * s, 11.5 * s);
        shield.lineTo(3 * s, 5 * s);
        shield.closePath();
        g.setColor(switch (state) {
            case IDLE -> new Color(0x8A, 0x94, 0xA1);
            case RUNNING -> new Color(0x1F, 0x9D, 0x55);
            case UNVERIFIED -> new Color(0xF5, 0x9E, 0x0B);
            case ERROR -> new Color(0xD2, 0x3C, 0x3C);
        });
        g.fill(shield);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke((float) (2.6 * s), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        switch (state) {
            case RUNNING -> {
                Path2D check = new Path2D.Double();
                check.moveTo(7.8 * s, 12 * s);
                check.lineTo(10.8 * s, 15 * s);
                check.lineTo(16.4 * s, 8.8 * s);
                g.draw(check);
            }
            case ERROR -> {
                g.drawLine((int) Math.round(12 * s), (int) Math.round(7 * s), (int) Math.round(12 * s), (int) Math.round(13 * s));
                g.fillOval((int) Math.round(10.6 * s), (int) Math.round(15.4 * s), (int) Math.round(2.8 * s), (int) Math.round(2.8 * s));
            }
            case UNVERIFIED -> {
                Path2D question = new Path2D.Double();
                question.moveTo(9.2 * s, 9.4 * s);
                question.curveTo(9.2 * s, 6.2 * s, 14.8 * s, 6.2 * s, 14.8 * s, 9.2 * s);
                question.curveTo(14.8 * s, 11.6 * s, 12 * s, 11.4 * s, 12 * s, 13.6 * s);
                g.draw(question);
                g.fillOval((int) Math.round(10.6 * s), (int) Math.round(15.8 * s), (int) Math.round(2.8 * s), (int) Math.round(2.8 * s));
            }
            case IDLE -> g.drawLine((int) Math.round(8 * s), (int) Math.round(12 * s), (int) Math.round(16 * s), (int) Math.round(12 * s));
        }
        g.dispose();
        return image;
    }
}
