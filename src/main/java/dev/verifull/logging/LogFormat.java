package dev.verifull.logging;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.verifull.text.Printable;

/**
 * How a record becomes one line. Both formats escape the message, the profile and every
 * exception message with {@link Printable}: a client's user name with a newline in it cannot
 * start a line of its own, and no terminal escape reaches a terminal.
 */
public abstract class LogFormat extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final String defaultProfile;

    LogFormat(String defaultProfile) {
        this.defaultProfile = defaultProfile;
    }

    /** {@code 2026-12-03T19:01:02.345Z INFO  [orders-db] message}, a stack trace on indented lines after it. */
    public static LogFormat text(String defaultProfile) {
        return new Text(defaultProfile);
    }

    /** One JSON object per line: time, level, logger, profile, message and (when there is one) exception. */
    public static LogFormat json(String defaultProfile) {
        return new Json(defaultProfile);
    }

    /** Verifull's level names: error, warn, info, debug (JUL's CONFIG and finer are debug). */
    static String levelName(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) return "ERROR";
        if (v >= Level.WARNING.intValue()) return "WARN";
        if (v >= Level.INFO.intValue()) return "INFO";
        return "DEBUG";
    }

    String time(LogRecord record) {
        return TIME.format(record.getInstant());
    }

    String profile(LogRecord record) {
        String p = record instanceof Log.ProfileRecord r && r.profile() != null ? r.profile() : defaultProfile;
        return Printable.escape(p == null ? "-" : p);
    }

    String message(LogRecord record) {
        String m = formatMessage(record);
        return Printable.escape(m == null ? "" : m);
    }

    /** Loggers outside Verifull (Netty, BouncyCastle, the JDK) are named in the text line: their messages lack context. */
    static boolean foreign(LogRecord record) {
        return record.getLoggerName() != null && !record.getLoggerName().isEmpty() && !record.getLoggerName().startsWith("dev.verifull.");
    }

    /**
     * The stack trace with every exception's text escaped, one frame per line, each line after the
     * first indented: in a text log only lines that start with a timestamp are records.
     */
    static String trace(Throwable thrown) {
        StringBuilder out = new StringBuilder();
        trace(thrown, "", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out.toString();
    }

    private static void trace(Throwable t, String caption, StringBuilder out, Set<Throwable> seen) {
        if (!seen.add(t)) {
            out.append("\t[circular reference: ").append(Printable.escape(t.toString())).append("]\n");
            return;
        }
        out.append(caption.isEmpty() ? "" : "\t").append(caption).append(Printable.escape(t.toString())).append('\n');
        for (StackTraceElement frame : t.getStackTrace()) out.append("\tat ").append(Printable.escape(frame.toString())).append('\n');
        for (Throwable s : t.getSuppressed()) trace(s, "Suppressed: ", out, seen);
        if (t.getCause() != null) trace(t.getCause(), "Caused by: ", out, seen);
    }

    private static final class Text extends LogFormat {
        Text(String defaultProfile) {
            super(defaultProfile);
        }

        @Override
        public String format(LogRecord record) {
            StringBuilder b = new StringBuilder(128).append(time(record)).append(' ');
            String level = levelName(record.getLevel());
            b.append(level).append(" ".repeat(6 - level.length()));
            b.append('[').append(profile(record)).append("] ");
            if (foreign(record)) b.append(Printable.escape(String.valueOf(record.getLoggerName()))).append(": ");
            b.append(message(record)).append(System.lineSeparator());
            if (record.getThrown() != null) {
                // each trace line indented, so none looks like a record of its own
                for (String line : trace(record.getThrown()).split("\n")) {
                    b.append(line.startsWith("\t") ? "" : "\t").append(line).append(System.lineSeparator());
                }
            }
            return b.toString();
        }
    }

    private static final class Json extends LogFormat {
        Json(String defaultProfile) {
            super(defaultProfile);
        }

        @Override
        public String format(LogRecord record) {
            StringBuilder b = new StringBuilder(160).append('{');
            field(b, "time", time(record)).append(',');
            field(b, "level", levelName(record.getLevel())).append(',');
            field(b, "logger", String.valueOf(record.getLoggerName())).append(',');
            field(b, "profile", profile(record)).append(',');
            field(b, "message", message(record));
            if (record.getThrown() != null) field(b.append(','), "exception", trace(record.getThrown()));
            return b.append('}').append('\n').toString();
        }

        private static StringBuilder field(StringBuilder b, String name, String value) {
            return string(string(b, name).append(':'), value);
        }

        /** A JSON string (RFC 8259): quotes, backslashes and every control character escaped. */
        static StringBuilder string(StringBuilder b, String s) {
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') b.append(String.format("\\u%04x", (int) c));
                        else b.append(c);
                    }
                }
            }
            return b.append('"');
        }
    }
}
