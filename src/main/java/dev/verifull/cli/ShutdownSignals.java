package dev.verifull.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT start a graceful stop instead of killing the JVM at once, so sessions can
 * drain and the audit log is flushed; the process then exits 0.
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
}
