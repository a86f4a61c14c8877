package dev.verifull.cli;

public final class Cli {
    private Cli() {}
    public static int run(String[] args) { System.out.println("verifull"); return 0; }
}
