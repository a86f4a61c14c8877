package dev.verifull.logging;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

/** Points the process's logging (Verifull's, Netty's, BouncyCastle's, the JDK's) at one place and one format. */
public final class LogSetup {
    /** Held so that JUL, which keeps loggers weakly, does not forget the levels set here. */
    private static final Logger BC_JSSE = Logger.getLogger("org.bouncycastle.jsse");
    private static final Logger ROOT = Logger.getLogger("");
    private static final Logger VERIFULL = Logger.getLogger("dev.verifull");

    private LogSetup() {}

    /**
     * {@code serve}: records at {@code level} and above as lines on {@code err} (stderr).
     */
    public static void toStream(PrintWriter err, LogFormat format, Level level) {
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (!isLoggable(record)) return;
                String line;
                try {
                    line = getFormatter().format(record);
                } catch (RuntimeException e) {
                    reportError("cannot format a log record", e, ErrorManager.FORMAT_FAILURE);
                    return;
                }
                synchronized (err) {
                    err.print(line);
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                err.flush();
            }
        };
        install(handler, format, level);
    }

    /**
     * The desktop app: everything at info and above into the rotating file in {@code dir}; warnings
     * and errors also on the console, for someone who started it from a terminal.
     *
     * @return the log file
     */
    public static Path toAppFile(Path dir, LogFormat format) throws IOException {
        RotatingLogFile file = new RotatingLogFile(dir, RotatingLogFile.DEFAULT_LIMIT, RotatingLogFile.DEFAULT_COUNT);
        install(file, format, Level.INFO);
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(Level.WARNING);
        console.setFormatter(format);
        ROOT.addHandler(console);
        return file.file();
    }

    private static synchronized void install(Handler handler, LogFormat format, Level level) {
        LogManager.getLogManager().reset(); // drops JUL's default console handler and its two-line format
        handler.setFormatter(format);
        handler.setLevel(level);
        // debug is for Verifull's own lines; the libraries' debug output would drown them
        ROOT.setLevel(level.intValue() < Level.INFO.intValue() ? Level.INFO : level);
        VERIFULL.setLevel(level);
        ROOT.addHandler(handler);
        // BouncyCastle JSSE logs every connection at info: only its warnings are worth a line.
        BC_JSSE.setLevel(level.intValue() < Level.INFO.intValue() ? Level.INFO : Level.WARNING);
        // Netty would pick SLF4J when a library brings its API; everything goes to the one place.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }
}
