package dev.verifull.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT start a graceful stop instead of killing the JVM at once, so sessions can
 * drain and the audit log is flushed; the process then exits 0. SIGHUP reloads the upstream trust.
 */
final class ShutdownSignals {
    private ShutdownSignals() {}

    static void onTerminate(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> action.run());
            } catch (IllegalArgumentException unsupported) {
                // Signal not available on this OS (e.g. TERM on Windows): the default handling stays.
            }
        }
    }

    /** SIGHUP runs {@code action} (on the JVM's signal thread); where there is no SIGHUP, nothing happens. */
    static void onReload(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), s -> action.run());
        } catch (IllegalArgumentException unsupported) {
            // No SIGHUP on this OS (Windows): the files are still checked at every new connection.
        }
    }
}
