package dev.verifull.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

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

    /**
     * SIGHUP runs {@code action} (on the JVM's signal thread); where there is no SIGHUP, nothing happens.
     *
     * @return true if this process ignores SIGHUP (started by {@code nohup}): the JVM then keeps
     * it ignored rather than install the handler, so SIGHUP does nothing
     */
    static boolean onReload(Runnable action) {
        try {
            return Signal.handle(new Signal("HUP"), s -> action.run()) == SignalHandler.SIG_IGN;
        } catch (IllegalArgumentException unsupported) {
            // No SIGHUP on this OS (Windows): the files are still checked at every new connection.
            return false;
        }
    }
}
