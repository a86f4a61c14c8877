package dev.verifull.logging;

/**
 * Sends an exception that nothing caught, on any thread (the JavaFX thread hands its own to the
 * default handler too), to the log with its stack trace instead of a console nobody reads.
 */
public final class UncaughtExceptions {
    private static final Log LOG = Log.of(UncaughtExceptions.class);

    private UncaughtExceptions() {}

    public static void install() {
        Thread.setDefaultUncaughtExceptionHandler(UncaughtExceptions::log);
    }

    static void log(Thread thread, Throwable e) {
        LOG.error("uncaught exception on thread " + thread.getName(), e);
    }
}
