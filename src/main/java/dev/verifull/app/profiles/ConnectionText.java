package dev.verifull.app.profiles;

/** One ready-to-paste way to connect, e.g. label "JDBC URL" and its text. */
public record ConnectionText(String kind, String label, String text) {}
