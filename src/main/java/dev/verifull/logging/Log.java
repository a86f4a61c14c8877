package dev.verifull.logging;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A logger that stamps its records with a profile (engine) name, so a line from one of several
 * engines in the app says whose it is. Records without one (the JDK's, Netty's, BouncyCastle's)
 * get the process's default name, set by {@link LogSetup}.
 */
public final class Log {
    private final Logger logger;
    private final String profile;

    private Log(Logger logger, String profile) {
        this.logger = logger;
        this.profile = profile;
    }

    /** For code that is not about one profile: its lines carry the process's default name. */
    public static Log of(Class<?> type) {
        return new Log(Logger.getLogger(type.getName()), null);
    }

    /** For code working for one profile or engine (a name a person chose; it is escaped when written). */
    public static Log of(Class<?> type, String profile) {
        return new Log(Logger.getLogger(type.getName()), profile);
    }

    public void error(String message, Throwable thrown) {
        log(Level.SEVERE, message, thrown);
    }

    public void error(String message) {
        log(Level.SEVERE, message, null);
    }

    public void warn(String message, Throwable thrown) {
        log(Level.WARNING, message, thrown);
    }

    public void warn(String message) {
        log(Level.WARNING, message, null);
    }

    public void info(String message) {
        log(Level.INFO, message, null);
    }

    /** Built only when debug is on: debug messages may be costly to put together. */
    public void debug(Supplier<String> message) {
        if (logger.isLoggable(Level.FINE)) log(Level.FINE, message.get(), null);
    }

    public boolean debugEnabled() {
        return logger.isLoggable(Level.FINE);
    }

    private void log(Level level, String message, Throwable thrown) {
        if (!logger.isLoggable(level)) return;
        ProfileRecord record = new ProfileRecord(level, message, profile);
        record.setLoggerName(logger.getName());
        record.setThrown(thrown);
        logger.log(record);
    }

    /** A JUL record that knows its profile. */
    static final class ProfileRecord extends java.util.logging.LogRecord {
        private static final long serialVersionUID = 1L;
        private final String profile;

        ProfileRecord(Level level, String message, String profile) {
            super(level, message);
            this.profile = profile;
        }

        String profile() {
            return profile;
        }
    }
}
