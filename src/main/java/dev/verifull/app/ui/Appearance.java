package dev.verifull.app.ui;

/** Light or dark; SYSTEM follows the desktop where it can be asked. */
public enum Appearance {
    SYSTEM("Follow system"), LIGHT("Light"), DARK("Dark");

    private final String label;

    Appearance(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
