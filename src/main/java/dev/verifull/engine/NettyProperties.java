package dev.verifull.engine;

/**
 * Netty settings that must be in place before the first Netty class initialises, so every
 * entry point ({@code serve}, the desktop app) calls {@link #applyDefaults} first.
 */
public final class NettyProperties {
    static final String JFR = "io.netty.jfr.enabled";

    private NettyProperties() {}

    /** Sets Verifull's defaults; a value given on the command line ({@code -D}) wins. */
    public static void applyDefaults() {
        // Netty 4.2 emits JFR events for its buffer allocator whenever JFR is present; asking
        // whether they are enabled registers them, which sets up JFR's metadata on the first
        // allocation: about 0.3 s on the way to serve's ready line. Nothing reads these events
        // unless someone profiles Netty itself (then -Dio.netty.jfr.enabled=true).
        if (System.getProperty(JFR) == null) System.setProperty(JFR, "false");
    }
}
